import {
  type Assignment,
  type Cause,
  deriveOrphanOrders,
  type IdentityScope,
  inIdentityScope,
  type LedgerEntry,
  type Model,
  type Orphan,
  type ProvisionedAssignment,
  type ProvisioningOrder,
  type WorkflowEvent,
  type WorkflowState,
  workflowTransition,
} from '@ordo/core';
import type { Clock } from '../../clock.ts';
import type { ReconcilableKind } from '../../storage/reconciliation-store.ts';
import type { Stores } from '../../storage/stores.ts';
import { UseCaseError } from '../use-case-error.ts';
import { findReconciliationOrphans, orphanIdPrefix, resourceTypesTargeting } from './find-reconciliation-orphans.ts';
import { notReconcilable, rolesOf } from './list-reconciliation.ts';

export type ReconciliationArea = 'resources' | 'roles';

export interface ReconciliationDecisionInput {
  /** `orphan:<resource id>` or an assignment id, as the list gives it. */
  readonly id: string;
  /** keep: an exception (workflow 16 Approved, or an orphan left alone); remove: deprovision it. */
  readonly decision: 'keep' | 'remove';
  readonly comment?: string | null;
}

export interface ReconciliationDecisionResult {
  readonly id: string;
  readonly decision: 'keep' | 'remove';
  /** The assignment's new workflow state (16 or 20); null for an orphan. */
  readonly workflowState: number | null;
  /** The deletion order of a removed orphan. */
  readonly orderId: string | null;
}

export type ReconciliationDecideDeps = {
  stores: Stores;
  clock: Clock;
  newId: () => string;
  pipeline: { request(): Promise<void> };
  signal: { notify(): void };
};

type Planned =
  | { kind: 'orphan'; input: ReconciliationDecisionInput; orphan: Orphan }
  | {
      kind: 'assignment';
      input: ReconciliationDecisionInput;
      assignment: Assignment & { kind: ReconcilableKind };
      to: WorkflowState;
      event: WorkflowEvent;
    };

/**
 * Applies reconciliation decisions (reference spec §3.5 I, §10): keep turns a non-conforming or
 * pre-existing assignment into 16 Approved (a derogation, with who and why recorded), remove into
 * 20 Cancellation, after which the owner's computation removes it and derives the deletion order.
 * An orphan account kept is recorded as an exception and not proposed again; removed, it gets a
 * deletion order (`deriveOrphanOrders`).
 *
 * All items are validated first and applied in one transaction: one refused item (gone, already
 * decided by someone else, out of scope) refuses the whole set and changes nothing, so a bulk
 * decision never half-applies. Each item is a compare-and-set (the workflow state, or the orphan's
 * decision row), so two people deciding the same item give one result, recorded once.
 */
export async function decideReconciliation(
  deps: ReconciliationDecideDeps,
  model: Model,
  request: {
    readonly area: ReconciliationArea;
    readonly entityType: string;
    readonly actor: string;
    readonly scope: IdentityScope;
    readonly items: readonly ReconciliationDecisionInput[];
  },
): Promise<ReconciliationDecisionResult[]> {
  const { area, entityType, items } = request;
  const seen = new Set<string>();
  for (const [index, item] of items.entries()) {
    if (seen.has(item.id)) {
      throw new UseCaseError('invalid', 'RECONCILIATION_DUPLICATE_ITEM', `item ${item.id} is listed twice`, {
        errors: [{ path: `items.${index}.id`, message: 'listed twice' }],
      });
    }
    seen.add(item.id);
  }
  const itemIds = new Set(
    area === 'resources' ? resourceTypesTargeting(model, entityType) : rolesOf(model, entityType),
  );
  if (itemIds.size === 0) throw notReconcilable(entityType, 'nothing is reconciled for it');

  const orphanInputs = items.filter((i) => i.id.startsWith(orphanIdPrefix));
  if (orphanInputs.length > 0 && area !== 'resources') throw notFound(orphanInputs[0]?.id ?? '');
  if (orphanInputs.length > 0 && request.scope.kind !== 'all') {
    throw new UseCaseError(
      'forbidden',
      'OUT_OF_SCOPE',
      'orphan accounts have no owner: only people who see every identity decide them',
    );
  }
  const orphanContext = orphanInputs.length > 0 ? await findReconciliationOrphans(deps, model, entityType) : null;
  const orphansById = new Map((orphanContext?.orphans ?? []).map((o) => [`${orphanIdPrefix}${o.resourceId}`, o]));

  const assignmentInputs = items.filter((i) => !i.id.startsWith(orphanIdPrefix));
  const assignments = new Map(
    (await deps.stores.reconciliation.getByIds(assignmentInputs.map((i) => i.id))).map((a) => [a.id, a]),
  );
  const owners = new Map(
    (await deps.stores.resources.getMany([...assignments.values()].map((a) => a.ownerId))).map((r) => [r.id, r]),
  );

  const planned: Planned[] = [];
  for (const input of items) {
    if (input.id.startsWith(orphanIdPrefix)) {
      const orphan = orphansById.get(input.id);
      if (!orphan) throw notFound(input.id, 'it is not an undecided orphan account (decided already, or owned now)');
      planned.push({ kind: 'orphan', input, orphan });
      continue;
    }
    const assignment = assignments.get(input.id);
    if (!assignment) throw notFound(input.id);
    const grants =
      assignment.kind === 'single_role' || assignment.kind === 'composite_role'
        ? assignment.roleId
        : assignment.resourceTypeId;
    const areaKinds = area === 'roles' ? ['single_role', 'composite_role'] : ['resource_type', 'scalar', 'navigation'];
    if (!areaKinds.includes(assignment.kind) || !itemIds.has(grants)) throw notFound(input.id);
    const owner = owners.get(assignment.ownerId);
    if (!owner || !inIdentityScope(request.scope, owner)) {
      throw new UseCaseError('forbidden', 'OUT_OF_SCOPE', `${input.id} belongs to an identity outside your scope`);
    }
    const event: WorkflowEvent = input.decision === 'keep' ? 'reconciliation_kept' : 'reconciliation_removed';
    const move = workflowTransition(assignment.workflowState, event);
    if (!move.ok || move.state === null || (assignment.workflowState !== 1 && assignment.workflowState !== 3)) {
      throw new UseCaseError(
        'conflict',
        'RECONCILIATION_ALREADY_DECIDED',
        `${input.id} is no longer waiting for reconciliation (workflow state ${assignment.workflowState})`,
      );
    }
    planned.push({
      kind: 'assignment',
      input,
      assignment: assignment as Assignment & { kind: ReconcilableKind },
      to: move.state,
      event,
    });
  }

  // Deletion orders of the orphans to remove, all derived before anything is written.
  const now = deps.clock.now();
  const runId = `reconciliation:${deps.newId()}`;
  const removals = planned.flatMap((p) =>
    p.kind === 'orphan' && p.input.decision === 'remove' ? [{ ...p.orphan, action: 'delete' as const }] : [],
  );
  const derived = deriveOrphanOrders({
    model,
    now,
    runId,
    orphans: removals,
    assignments: orphanContext?.rows ?? [],
    resolve: { resource: (id) => orphanContext?.targets.get(id) },
    newOrderId: deps.newId,
  });
  if (derived.skipped.length > 0) {
    throw new UseCaseError('conflict', 'ORPHAN_REMOVAL_REFUSED', derived.skipped.map((s) => s.reason).join('; '));
  }
  const orderByTarget = new Map<string, ProvisioningOrder>(derived.orders.map((o) => [o.targetResourceId ?? '', o]));

  const cause: Cause = { kind: 'user', id: request.actor };
  const results = await deps.stores.transaction(async (tx) => {
    const out: ReconciliationDecisionResult[] = [];
    const ledger: Omit<LedgerEntry, 'id'>[] = [];
    const dirty: string[] = [];
    for (const p of planned) {
      const comment = p.input.comment?.trim() || null;
      if (p.kind === 'orphan') {
        const recorded = await tx.reconciliation.recordDecision({
          id: `${orphanIdPrefix}${p.orphan.resourceId}`,
          subjectKind: 'orphan',
          subjectId: p.orphan.resourceId,
          entityType,
          decision: p.input.decision,
          decidedBy: request.actor,
          decidedAt: now,
          comment,
        });
        if (!recorded) throw alreadyDecided(p.input.id);
        const order = p.input.decision === 'remove' ? orderByTarget.get(p.orphan.resourceId) : undefined;
        await tx.audit.record({
          at: now,
          actor: request.actor,
          action: p.input.decision === 'keep' ? 'reconciliation.orphan_kept' : 'reconciliation.orphan_removed',
          targetKind: 'resource',
          targetId: p.orphan.resourceId,
          before: {
            orphan: p.orphan.kind,
            resourceTypeId: p.orphan.resourceTypeId,
            previousOwnerId: p.orphan.previousOwnerId,
          },
          after: p.input.decision === 'keep' ? { exception: true } : { deletionOrderId: order?.id ?? null },
          ...(comment ? { detail: comment } : {}),
        });
        out.push({ id: p.input.id, decision: p.input.decision, workflowState: null, orderId: order?.id ?? null });
        continue;
      }
      const a = p.assignment;
      const won = await tx.reconciliation.setWorkflowIf(a.kind, a.id, a.workflowState, p.to);
      if (!won) throw alreadyDecided(a.id);
      await tx.reconciliation.recordDecision({
        id: deps.newId(),
        subjectKind: a.kind,
        subjectId: a.id,
        entityType,
        decision: p.input.decision,
        decidedBy: request.actor,
        decidedAt: now,
        comment,
      });
      ledger.push({
        assignmentId: a.id,
        ownerId: a.ownerId,
        stateKind: 'workflow',
        from: a.workflowState,
        to: p.to,
        event: p.event,
        ruleId: null,
        expressionResult: null,
        message: `${p.input.decision === 'keep' ? 'kept' : 'removed'} in reconciliation by ${request.actor}${comment ? `: ${comment}` : ''}`,
        orderId: null,
        cause,
        at: now,
      });
      await tx.audit.record({
        at: now,
        actor: request.actor,
        action: p.input.decision === 'keep' ? 'reconciliation.kept' : 'reconciliation.removed',
        targetKind: 'assignment',
        targetId: a.id,
        before: { workflowState: a.workflowState },
        after: { workflowState: p.to },
        ...(comment ? { detail: comment } : {}),
      });
      if (p.input.decision === 'remove') dirty.push(a.ownerId);
      out.push({ id: a.id, decision: p.input.decision, workflowState: p.to, orderId: null });
    }
    if (derived.orders.length > 0) {
      await tx.orders.insertMany(derived.orders);
      // An owner-gone orphan's assigned resource type follows its deletion order (1 Pending, remove).
      const moved = new Map(derived.changes.map((c) => [c.assignmentId, c]));
      const rows = (await tx.assignments.getProvisioned([...moved.keys()])).map(
        (row): ProvisionedAssignment => ({
          ...row,
          provisioningState: (moved.get(row.id)?.to ??
            row.provisioningState) as ProvisionedAssignment['provisioningState'],
          pendingOperation: 'remove',
        }),
      );
      if (rows.length) await tx.assignments.saveChanges({ upserts: rows, deletes: [] });
      for (const c of derived.changes) ledger.push({ ...c, orderId: null, cause, at: now });
    }
    if (ledger.length) await tx.ledger.append(ledger);
    if (dirty.length) await tx.resources.markDirty([...new Set(dirty)]);
    return out;
  });

  if (results.some((r) => r.decision === 'remove' && r.orderId === null)) await deps.pipeline.request();
  if (derived.orders.length > 0) deps.signal.notify();
  return results;
}

function notFound(id: string, why = 'no such item waits for reconciliation here'): UseCaseError {
  return new UseCaseError('not_found', 'RECONCILIATION_ITEM_NOT_FOUND', `${id}: ${why}`);
}

function alreadyDecided(id: string): UseCaseError {
  return new UseCaseError('conflict', 'RECONCILIATION_ALREADY_DECIDED', `${id} was decided by someone else meanwhile`);
}
