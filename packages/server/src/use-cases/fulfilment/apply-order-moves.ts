import {
  type Cause,
  followOrder,
  type LedgerEntry,
  type ProvisionedAssignment,
  type ProvisioningEvent,
  type ProvisioningOrder,
  type ProvisioningState,
  type Resource,
} from '@ordo/core';
import type { DispatchChange } from '../../storage/order-store.ts';
import type { Stores } from '../../storage/stores.ts';

/** One order's move: a compare-and-set on the order, followed by its assignments. */
export interface OrderMove {
  readonly order: ProvisioningOrder;
  readonly expected: { readonly from: ProvisioningState; readonly leaseToken?: string };
  readonly to: ProvisioningState;
  /** Provisioning events the carried assignments take, in order; empty when the state stays. */
  readonly events: readonly ProvisioningEvent[];
  readonly change: DispatchChange;
  readonly message: string | null;
  readonly createOnly?: ReadonlySet<string>;
  /** A verified creation: the new target, owned from now on by the resource type assignment. */
  readonly createdTargetId?: string;
  /** What the system holds now (a read-back), written as the synchronized resource. */
  readonly upsertResource?: Resource;
  readonly deleteResourceId?: string;
  /** A ledger line without a state change (a failed attempt), on the order's resource type assignment. */
  readonly note?: { readonly event: string; readonly message: string };
}

/**
 * Applies order moves in one transaction: each order's compare-and-set first, and only for the
 * orders that won it, their assignments, ledger lines and resources. A move that loses (another
 * agent's report, a person's action, an expired lease) changes nothing.
 * @returns for each move, whether it was applied.
 */
export async function applyOrderMoves(
  stores: Pick<Stores, 'transaction'>,
  moves: readonly OrderMove[],
  context: { readonly cause: Cause; readonly now: string },
): Promise<boolean[]> {
  if (moves.length === 0) return [];
  return stores.transaction(async (tx) => {
    const applied: boolean[] = [];
    const won: OrderMove[] = [];
    for (const move of moves) {
      const ok = await tx.orders.moveWithDispatch(move.order.id, move.expected, move.to, move.change);
      applied.push(ok);
      if (ok) won.push(move);
    }
    if (won.length === 0) return applied;

    const assignments = await tx.assignments.getProvisioned(won.flatMap((m) => m.order.assignmentIds));
    const byId = new Map(assignments.map((a) => [a.id, a]));
    const upserts: ProvisionedAssignment[] = [];
    const ledger: Omit<LedgerEntry, 'id'>[] = [];
    const resources: Resource[] = [];
    const deletions: string[] = [];
    for (const move of won) {
      const carried = move.order.assignmentIds.flatMap((id) => byId.get(id) ?? []);
      const { updated, changes } = followOrder(carried, move.events, {
        message: move.message,
        ...(move.createOnly ? { createOnly: move.createOnly } : {}),
        ...(move.createdTargetId ? { createdTargetId: move.createdTargetId } : {}),
      });
      upserts.push(...updated);
      for (const change of changes) ledger.push({ ...change, orderId: move.order.id, ...context, at: context.now });
      const head = byId.get(move.order.assignedResourceTypeId);
      if (move.note && head) {
        ledger.push({
          assignmentId: head.id,
          ownerId: head.ownerId,
          stateKind: 'provisioning',
          from: head.provisioningState,
          to: head.provisioningState,
          event: move.note.event,
          ruleId: null,
          expressionResult: null,
          message: move.note.message,
          orderId: move.order.id,
          cause: context.cause,
          at: context.now,
        });
      }
      if (move.upsertResource) resources.push(move.upsertResource);
      if (move.deleteResourceId) deletions.push(move.deleteResourceId);
    }
    if (upserts.length) await tx.assignments.saveChanges({ upserts, deletes: [] });
    if (ledger.length) await tx.ledger.append(ledger);
    if (resources.length) await tx.resources.upsertMany(resources);
    if (deletions.length) {
      await tx.resources.deleteMany(deletions);
      // The owners' next computation sees the target gone and settles their assignments.
      await tx.resources.markDirty(won.filter((m) => m.deleteResourceId).map((m) => m.order.ownerId));
    }
    return applied;
  });
}
