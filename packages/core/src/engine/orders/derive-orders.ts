import type {
  AssignedNavigation,
  AssignedResourceType,
  AssignedScalar,
  Assignment,
  ProvisionedAssignment,
} from '../../assignments.ts';
import { isProvisioned } from '../../assignments.ts';
import type { ScalarValue } from '../../expression.ts';
import { provisioningTransition } from '../../lifecycle/provisioning-lifecycle.ts';
import type { Model, ResourceType } from '../../model.ts';
import type { ChangeType, LinkRef, ProvisioningOrder, StateChange } from '../../orders.ts';
import type { Resource } from '../../resources.ts';
import { ProvisioningState } from '../../states.ts';
import { dueAt, hasEnded, instant } from './order-timing.ts';

/** Looks up synchronized resources (owners, targets, linked groups) by Ordo id. */
export interface ResourceResolver {
  resource(id: string): Resource | undefined;
}

export interface DeriveOrdersInput {
  readonly model: Model;
  /** ISO-8601 instant of this generation run. */
  readonly now: string;
  readonly runId: string;
  /**
   * Assignment rows of any number of owners, in any state. Only provisioned rows in 1 Pending are
   * turned into orders; the others are read for context (the assigned resource type row of each
   * group, the owner's depends-on resource type).
   */
  readonly assignments: readonly Assignment[];
  readonly resolve: ResourceResolver;
  readonly newOrderId: () => string;
  /**
   * Ids of assignments already carried by an order that is still open (not yet Executed, Verified
   * or Errored). They are not emitted again, so that running generation twice emits each order
   * once (reference spec scenario 40).
   */
  readonly inFlight?: ReadonlySet<string>;
}

/** Why pending assignments were not put into an order in this run. They stay 1 Pending. */
export type HoldCode =
  /** The owner's assignment of the `dependsOn` resource type is not Executed or Verified yet. */
  | 'DEPENDS_ON_UNMET'
  /** The owner property named by `dependsOnOwnerProperty` is empty. */
  | 'OWNER_PROPERTY_EMPTY'
  /** The assignment starts later than now + `fulfilHoursAhead`; `notBefore` says when it is due. */
  | 'NOT_YET_DUE'
  /** Values of a target that does not exist yet and whose creation is not being sent in this run. */
  | 'AWAITING_CREATION'
  /** The target does not exist and the resource type does not allow Ordo to create it. */
  | 'ADD_NOT_ALLOWED'
  /** The resource type does not allow Ordo to delete targets (reconciliation decides). */
  | 'REMOVE_NOT_ALLOWED'
  /** A removal or deletion of something that was never created. */
  | 'NO_TARGET'
  /** A pending change of the target with nothing to write in it. */
  | 'NOTHING_TO_WRITE'
  | 'UNKNOWN_RESOURCE_TYPE'
  /** Nested rows arrived without the row of their assigned resource type. */
  | 'ASSIGNED_RESOURCE_TYPE_MISSING'
  /** The target, the owner or a linked resource is not among the synchronized resources. */
  | 'RESOURCE_UNRESOLVED'
  | 'INVALID_DATE';

export interface HeldOrder {
  readonly assignedResourceTypeId: string;
  readonly resourceTypeId: string | null;
  readonly ownerId: string;
  /** The pending assignments that were not sent, all of the group or some of its values. */
  readonly assignmentIds: readonly string[];
  readonly code: HoldCode;
  /** For a person: what is held, and why. */
  readonly reason: string;
  /** For NOT_YET_DUE: the instant from which the next run will emit it. */
  readonly notBefore: string | null;
}

export interface DeriveOrdersResult {
  readonly orders: ProvisioningOrder[];
  readonly held: HeldOrder[];
  /** Rows that leave 1 Pending without an order (6 Inactive). Rows put into orders stay 1. */
  readonly changes: StateChange[];
}

export class OrderDerivationError extends Error {
  readonly code = 'ORDER_DERIVATION_INVALID_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'OrderDerivationError';
  }
}

/**
 * Turns pending assignment rows into provisioning orders (reference spec §5.6, §8.3): one order per
 * assigned resource type — Added with every expected value when the target does not exist,
 * Modified with only the changed scalars and the added and removed links when it does, Deleted
 * when the resource type itself is to be removed. Pure: the caller persists orders and changes.
 */
export function deriveOrders(input: DeriveOrdersInput): DeriveOrdersResult {
  const now = instant(input.now);
  if (now === null) {
    throw new OrderDerivationError(`deriveOrders: "now" must be an ISO-8601 instant, got "${input.now}"`);
  }
  const inFlight = input.inFlight ?? new Set<string>();
  const resourceTypeRows = new Map<string, AssignedResourceType>();
  const rowsByOwnerType = new Map<string, AssignedResourceType[]>();
  const pendingGroups = new Map<string, ProvisionedAssignment[]>();
  for (const a of input.assignments) {
    if (!isProvisioned(a)) continue;
    if (a.kind === 'resource_type') {
      resourceTypeRows.set(a.id, a);
      const key = ownerTypeKey(a.ownerId, a.resourceTypeId);
      rowsByOwnerType.set(key, [...(rowsByOwnerType.get(key) ?? []), a]);
    }
    if (a.provisioningState !== ProvisioningState.Pending) continue;
    const groupId = a.kind === 'resource_type' ? a.id : a.assignedResourceTypeId;
    const group = pendingGroups.get(groupId);
    if (group) group.push(a);
    else pendingGroups.set(groupId, [a]);
  }

  const out: DeriveOrdersResult = { orders: [], held: [], changes: [] };
  for (const [groupId, rows] of pendingGroups) {
    const fresh = rows.filter((r) => !inFlight.has(r.id));
    if (fresh.length === 0) continue;
    const rtRow = resourceTypeRows.get(groupId);
    if (!rtRow) {
      out.held.push(
        hold(groupId, null, fresh[0]?.ownerId ?? '', fresh, 'ASSIGNED_RESOURCE_TYPE_MISSING', {
          reason: `pending values of assigned resource type ${groupId} came without the assigned resource type itself`,
        }),
      );
      continue;
    }
    const resourceType = input.model.resourceTypes[rtRow.resourceTypeId];
    if (!resourceType) {
      out.held.push(
        hold(groupId, rtRow.resourceTypeId, rtRow.ownerId, fresh, 'UNKNOWN_RESOURCE_TYPE', {
          reason: `resource type "${rtRow.resourceTypeId}" of ${groupId} is not in the configuration`,
        }),
      );
      continue;
    }
    deriveGroup({ input, out, now, inFlight, rtRow, resourceType, rowsByOwnerType }, fresh);
  }
  return out;
}

interface GroupContext {
  readonly input: DeriveOrdersInput;
  readonly out: DeriveOrdersResult;
  readonly now: number;
  readonly inFlight: ReadonlySet<string>;
  readonly rtRow: AssignedResourceType;
  readonly resourceType: ResourceType;
  readonly rowsByOwnerType: ReadonlyMap<string, readonly AssignedResourceType[]>;
}

function deriveGroup(ctx: GroupContext, fresh: readonly ProvisionedAssignment[]): void {
  const { rtRow, out } = ctx;
  const badDates = fresh.filter((r) => invalidDate(r) !== null);
  if (badDates.length > 0) {
    const first = badDates[0] as ProvisionedAssignment;
    holdRows(ctx, badDates, 'INVALID_DATE', `${first.id} has ${invalidDate(first)} that is not an ISO-8601 date`);
  }
  const valid = fresh.filter((r) => invalidDate(r) === null);
  // Writing a value whose period is over is useless; removing it is the very point of the order.
  const live: ProvisionedAssignment[] = [];
  for (const r of valid) {
    if (r.pendingOperation !== 'remove' && hasEnded(r.endDate, ctx.now)) {
      out.changes.push(inactive(r, `its period ended on ${r.endDate} before the order was sent`));
    } else live.push(r);
  }

  const rtPending = rtRow.provisioningState === ProvisioningState.Pending;
  if (rtPending && rtRow.pendingOperation === 'remove') {
    // A deletion already in flight carries the whole target; nested rows wait for its outcome.
    if (ctx.inFlight.has(rtRow.id)) return;
    deriveDeleted(ctx, live);
    return;
  }
  if (rtRow.targetResourceId === null) {
    const creation = live.find((r) => r.id === rtRow.id);
    if (creation && rtRow.pendingOperation === 'add') {
      deriveAdded(ctx, live);
      return;
    }
    if (rtPending && rtRow.pendingOperation === 'add' && !ctx.inFlight.has(rtRow.id) && valid.includes(rtRow)) {
      // The creation itself became Inactive: the values it would have carried go with it.
      for (const r of live) out.changes.push(inactive(r, `the target of ${rtRow.id} will not be created`));
      return;
    }
    if (live.length === 0) return;
    holdRows(
      ctx,
      live,
      'AWAITING_CREATION',
      ctx.inFlight.has(rtRow.id)
        ? `the target of ${rtRow.id} is being created by an order in flight; these values follow once it exists`
        : `the target of ${rtRow.id} does not exist and its creation is not pending (state ${rtRow.provisioningState})`,
    );
    return;
  }
  deriveModified(ctx, live);
}

function deriveAdded(ctx: GroupContext, live: readonly ProvisionedAssignment[]): void {
  const { rtRow, resourceType } = ctx;
  if (!resourceType.allowAdd) {
    holdRows(ctx, live, 'ADD_NOT_ALLOWED', `${resourceType.id} does not allow Ordo to create targets (allowAdd=false)`);
    return;
  }
  const due = dueAt(rtRow.startDate, resourceType.fulfilHoursAhead);
  if (due !== null && due > ctx.now) {
    holdRows(
      ctx,
      live,
      'NOT_YET_DUE',
      `${rtRow.id} starts on ${rtRow.startDate}; with fulfilHoursAhead=${resourceType.fulfilHoursAhead} its creation is sent from ${iso(due)}`,
      iso(due),
    );
    return;
  }
  const unmet = unmetPrerequisite(ctx);
  if (unmet) {
    holdRows(ctx, live, unmet.code, unmet.reason);
    return;
  }
  const carried: ProvisionedAssignment[] = [rtRow];
  const scalars: Record<string, ScalarValue> = {};
  const addedLinks: Record<string, LinkRef[]> = {};
  for (const r of live) {
    if (r.kind === 'resource_type') continue;
    if (r.pendingOperation === 'remove') {
      holdRows(ctx, [r], 'NO_TARGET', `${r.id} removes a value from a target that does not exist yet`);
      continue;
    }
    if (!isDue(ctx, r)) continue;
    if (r.kind === 'scalar') {
      // Create-only values (mapped=false) belong in the creation: it is their only chance.
      scalars[r.property] = r.computedValue;
      carried.push(r);
      continue;
    }
    const link = linkRef(ctx, r);
    if (!link) continue;
    (addedLinks[r.property] ??= []).push(link);
    carried.push(r);
  }
  emit(ctx, 'added', { targetResourceId: null, targetKey: null, scalars, addedLinks, removedLinks: {} }, carried);
}

function deriveModified(ctx: GroupContext, live: readonly ProvisionedAssignment[]): void {
  const { rtRow, out } = ctx;
  if (live.length === 0) return;
  const target = targetRef(ctx, live);
  if (!target) return;
  const carried: ProvisionedAssignment[] = [];
  const scalars: Record<string, ScalarValue> = {};
  const addedLinks: Record<string, LinkRef[]> = {};
  const removedLinks: Record<string, LinkRef[]> = {};
  for (const r of live) {
    if (r.kind === 'resource_type') continue;
    if (!isDue(ctx, r)) continue;
    if (r.kind === 'scalar') {
      if (!r.mapped && r.pendingOperation !== 'remove') {
        out.changes.push(
          inactive(r, `${r.property} is create-only (mapped=false): it is written only when the target is created`),
        );
        continue;
      }
      scalars[r.property] = r.pendingOperation === 'remove' ? null : r.computedValue;
      carried.push(r);
      continue;
    }
    const link = linkRef(ctx, r);
    if (!link) continue;
    const side = r.pendingOperation === 'remove' ? removedLinks : addedLinks;
    (side[r.property] ??= []).push(link);
    carried.push(r);
  }
  const rtInGroup = live.find((r) => r.id === rtRow.id);
  if (carried.length === 0) {
    if (rtInGroup) {
      holdRows(ctx, [rtInGroup], 'NOTHING_TO_WRITE', `${rtRow.id} is pending but none of its values needs writing`);
    }
    return;
  }
  if (rtInGroup) carried.unshift(rtInGroup);
  emit(ctx, 'modified', { ...target, scalars, addedLinks, removedLinks }, carried);
}

function deriveDeleted(ctx: GroupContext, live: readonly ProvisionedAssignment[]): void {
  const { rtRow, resourceType } = ctx;
  if (live.length === 0) return;
  if (!resourceType.allowRemove) {
    holdRows(
      ctx,
      live,
      'REMOVE_NOT_ALLOWED',
      `${resourceType.id} does not allow Ordo to delete targets (allowRemove=false): confirm the deletion in reconciliation`,
    );
    return;
  }
  if (rtRow.targetResourceId === null) {
    holdRows(ctx, live, 'NO_TARGET', `${rtRow.id} is to be removed but its target was never created or correlated`);
    return;
  }
  const target = targetRef(ctx, live);
  if (!target) return;
  // Nested rows travel with the deletion so that their states follow the target's.
  const carried = [...live].sort((a, b) => (a.id === rtRow.id ? -1 : b.id === rtRow.id ? 1 : 0));
  emit(ctx, 'deleted', { ...target, scalars: {}, addedLinks: {}, removedLinks: {} }, carried);
}

/** Depends-on and owner-property prerequisites of a creation (reference spec scenarios 34, 35). */
function unmetPrerequisite(ctx: GroupContext): { code: HoldCode; reason: string } | null {
  const { rtRow, resourceType } = ctx;
  if (resourceType.dependsOn !== null) {
    const prerequisites = ctx.rowsByOwnerType.get(ownerTypeKey(rtRow.ownerId, resourceType.dependsOn)) ?? [];
    const provisioned = prerequisites.some(
      (p) => p.provisioningState === ProvisioningState.Executed || p.provisioningState === ProvisioningState.Verified,
    );
    if (!provisioned) {
      const states = prerequisites.map((p) => p.provisioningState).join(', ') || 'none';
      return {
        code: 'DEPENDS_ON_UNMET',
        reason: `${resourceType.id} depends on ${resourceType.dependsOn}, which owner ${rtRow.ownerId} does not have Executed or Verified yet (states: ${states})`,
      };
    }
  }
  if (resourceType.dependsOnOwnerProperty !== null) {
    const owner = ctx.input.resolve.resource(rtRow.ownerId);
    if (!owner) {
      return { code: 'RESOURCE_UNRESOLVED', reason: `owner ${rtRow.ownerId} of ${rtRow.id} is not a known resource` };
    }
    const value = owner.values[resourceType.dependsOnOwnerProperty];
    if (value === null || value === undefined || value === '') {
      return {
        code: 'OWNER_PROPERTY_EMPTY',
        reason: `${resourceType.id} needs owner property "${resourceType.dependsOnOwnerProperty}" filled, and it is empty for ${owner.key}`,
      };
    }
  }
  return null;
}

function isDue(ctx: GroupContext, r: AssignedScalar | AssignedNavigation): boolean {
  const due = dueAt(r.startDate, ctx.resourceType.fulfilHoursAhead);
  if (due === null || due <= ctx.now) return true;
  holdRows(
    ctx,
    [r],
    'NOT_YET_DUE',
    `${r.id} starts on ${r.startDate}; with fulfilHoursAhead=${ctx.resourceType.fulfilHoursAhead} it is sent from ${iso(due)}`,
    iso(due),
  );
  return false;
}

function linkRef(ctx: GroupContext, r: AssignedNavigation): LinkRef | null {
  const linked = ctx.input.resolve.resource(r.valueResourceId);
  if (linked) return { id: linked.id, key: linked.key };
  holdRows(
    ctx,
    [r],
    'RESOURCE_UNRESOLVED',
    `${r.property} of ${r.id} links resource ${r.valueResourceId}, which is unknown`,
  );
  return null;
}

function targetRef(
  ctx: GroupContext,
  live: readonly ProvisionedAssignment[],
): { targetResourceId: string; targetKey: string } | null {
  const id = ctx.rtRow.targetResourceId as string;
  const target = ctx.input.resolve.resource(id);
  if (target) return { targetResourceId: target.id, targetKey: target.key };
  holdRows(ctx, live, 'RESOURCE_UNRESOLVED', `target ${id} of ${ctx.rtRow.id} is not a known resource`);
  return null;
}

function emit(
  ctx: GroupContext,
  changeType: ChangeType,
  body: Pick<ProvisioningOrder, 'targetResourceId' | 'targetKey' | 'scalars' | 'addedLinks' | 'removedLinks'>,
  carried: readonly ProvisionedAssignment[],
): void {
  const { rtRow, resourceType, input } = ctx;
  ctx.out.orders.push({
    id: input.newOrderId(),
    assignedResourceTypeId: rtRow.id,
    resourceTypeId: resourceType.id,
    connector: resourceType.connector,
    ownerId: rtRow.ownerId,
    changeType,
    ...body,
    assignmentIds: carried.map((r) => r.id),
    state: ProvisioningState.Pending,
    notBefore: null,
    createdAt: input.now,
    runId: input.runId,
  });
}

function holdRows(
  ctx: GroupContext,
  rows: readonly ProvisionedAssignment[],
  code: HoldCode,
  reason: string,
  notBefore: string | null = null,
): void {
  ctx.out.held.push(hold(ctx.rtRow.id, ctx.resourceType.id, ctx.rtRow.ownerId, rows, code, { reason, notBefore }));
}

function hold(
  assignedResourceTypeId: string,
  resourceTypeId: string | null,
  ownerId: string,
  rows: readonly ProvisionedAssignment[],
  code: HoldCode,
  detail: { reason: string; notBefore?: string | null },
): HeldOrder {
  return {
    assignedResourceTypeId,
    resourceTypeId,
    ownerId,
    assignmentIds: rows.map((r) => r.id),
    code,
    reason: detail.reason,
    notBefore: detail.notBefore ?? null,
  };
}

function inactive(r: ProvisionedAssignment, why: string): StateChange {
  const result = provisioningTransition(r.provisioningState, 'superseded');
  if (!result.ok) throw new OrderDerivationError(`${r.id}: ${result.message}`);
  return {
    assignmentId: r.id,
    ownerId: r.ownerId,
    stateKind: 'provisioning',
    from: r.provisioningState,
    to: result.state,
    event: 'superseded',
    ruleId: r.ruleId,
    expressionResult: r.kind === 'scalar' ? r.computedValue : null,
    message: `${r.id} not sent: ${why}`,
  };
}

function invalidDate(r: ProvisionedAssignment): string | null {
  if (r.startDate !== null && instant(r.startDate) === null) return `start date "${r.startDate}"`;
  if (r.endDate !== null && instant(r.endDate) === null) return `end date "${r.endDate}"`;
  return null;
}

function ownerTypeKey(ownerId: string, resourceTypeId: string): string {
  return `${ownerId}\u0000${resourceTypeId}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
