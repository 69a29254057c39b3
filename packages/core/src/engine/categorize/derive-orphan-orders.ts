import { type AssignedResourceType, type Assignment, isProvisioned } from '../../assignments.ts';
import { provisioningTransition } from '../../lifecycle/provisioning-lifecycle.ts';
import type { Model } from '../../model.ts';
import type { ProvisioningOrder, StateChange } from '../../orders.ts';
import type { Resource } from '../../resources.ts';
import { ProvisioningState } from '../../states.ts';
import type { Orphan } from './find-orphans.ts';

export interface DeriveOrphanOrdersInput {
  readonly model: Model;
  readonly now: string;
  readonly runId: string;
  readonly orphans: readonly Orphan[];
  readonly assignments: readonly Assignment[];
  readonly resolve: { resource(id: string): Resource | undefined };
  readonly newOrderId: () => string;
  /** Assignment ids already carried by an open order (see `deriveOrders`). */
  readonly inFlight?: ReadonlySet<string>;
}

export interface SkippedOrphan {
  readonly resourceId: string;
  readonly code: 'ORPHAN_STATE_REFUSED' | 'ORPHAN_UNRESOLVED';
  readonly reason: string;
}

/** The order key of an orphan no assignment carries: its deletion orders serialize on it. */
export const unownedOrphanKey = (resourceId: string) => `orphan:${resourceId}`;

/**
 * Deleted orders for orphans whose resource type removes them (removeOrphans with allowRemove), and
 * for orphans a person chose to remove in resource reconciliation (the caller passes them with
 * action `delete`). An `unowned` orphan has no assignment: its order carries none, names no owner,
 * and is keyed `orphan:<resource id>`.
 * The orphan's assigned resource type goes back to 1 Pending with the order, as any deletion does;
 * an assignment whose state does not allow it (an errored order waiting for a person) is skipped
 * and said so.
 */
export function deriveOrphanOrders(input: DeriveOrphanOrdersInput): {
  orders: ProvisioningOrder[];
  changes: StateChange[];
  skipped: SkippedOrphan[];
} {
  const rows = new Map<string, AssignedResourceType>();
  for (const a of input.assignments) if (isProvisioned(a) && a.kind === 'resource_type') rows.set(a.id, a);
  const out = { orders: [] as ProvisioningOrder[], changes: [] as StateChange[], skipped: [] as SkippedOrphan[] };
  for (const orphan of input.orphans) {
    if (orphan.action !== 'delete') continue;
    if (orphan.kind === 'unowned') {
      const target = input.resolve.resource(orphan.resourceId);
      const resourceType = input.model.resourceTypes[orphan.resourceTypeId];
      if (!target || !resourceType) {
        out.skipped.push({
          resourceId: orphan.resourceId,
          code: 'ORPHAN_UNRESOLVED',
          reason: `orphan ${orphan.resourceId}: its target or resource type "${orphan.resourceTypeId}" is unknown`,
        });
        continue;
      }
      if (input.inFlight?.has(unownedOrphanKey(target.id))) continue;
      out.orders.push({
        id: input.newOrderId(),
        assignedResourceTypeId: unownedOrphanKey(target.id),
        resourceTypeId: resourceType.id,
        connector: resourceType.connector,
        ownerId: '',
        targetResourceId: target.id,
        targetKey: target.key,
        changeType: 'deleted',
        scalars: {},
        addedLinks: {},
        removedLinks: {},
        assignmentIds: [],
        state: ProvisioningState.Pending,
        notBefore: null,
        createdAt: input.now,
        runId: input.runId,
      });
      continue;
    }
    if (orphan.assignedResourceTypeId === null || orphan.previousOwnerId === null) continue;
    if (input.inFlight?.has(orphan.assignedResourceTypeId)) continue;
    const row = rows.get(orphan.assignedResourceTypeId);
    const target = input.resolve.resource(orphan.resourceId);
    const resourceType = input.model.resourceTypes[orphan.resourceTypeId];
    if (!row || !target || !resourceType) {
      out.skipped.push({
        resourceId: orphan.resourceId,
        code: 'ORPHAN_UNRESOLVED',
        reason: `orphan ${orphan.resourceId}: its assignment, target or resource type "${orphan.resourceTypeId}" is unknown`,
      });
      continue;
    }
    const alreadyPending = row.provisioningState === ProvisioningState.Pending;
    const move = alreadyPending ? null : provisioningTransition(row.provisioningState, 'computed_missing');
    if (move && !move.ok) {
      out.skipped.push({
        resourceId: orphan.resourceId,
        code: 'ORPHAN_STATE_REFUSED',
        reason: `orphan ${target.key}: ${move.message}`,
      });
      continue;
    }
    if (move) {
      out.changes.push({
        assignmentId: row.id,
        ownerId: row.ownerId,
        stateKind: 'provisioning',
        from: row.provisioningState,
        to: move.state,
        event: 'computed_missing',
        ruleId: null,
        expressionResult: null,
        message: `owner ${row.ownerId} no longer exists: ${resourceType.id} removes orphans, so ${target.key} is deleted`,
      });
    }
    out.orders.push({
      id: input.newOrderId(),
      assignedResourceTypeId: row.id,
      resourceTypeId: resourceType.id,
      connector: resourceType.connector,
      ownerId: row.ownerId,
      targetResourceId: target.id,
      targetKey: target.key,
      changeType: 'deleted',
      scalars: {},
      addedLinks: {},
      removedLinks: {},
      assignmentIds: [row.id],
      state: ProvisioningState.Pending,
      notBefore: null,
      createdAt: input.now,
      runId: input.runId,
    });
  }
  return out;
}
