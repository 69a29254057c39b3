import { type Cause, ProvisioningState } from '@ordo/core';
import type { Clock } from '../../clock.ts';
import type { Stores } from '../../storage/stores.ts';
import { applyOrderMoves } from '../fulfilment/apply-order-moves.ts';
import { unblockOrders } from '../fulfilment/unblock-orders.ts';

export type ErroredAction = 'retry' | 'dismiss';

/** Why an order of a bulk action was left as it was. */
export type SkipReason = 'not_found' | 'not_errored';

/**
 * Per-item outcome of a bulk action on errored orders. Bulk actions on errored orders answer per
 * item rather than all-or-nothing: the errors inbox changes while a person looks at it (an agent's
 * retry, a colleague's dismissal), and one order that moved meanwhile must not block the others.
 */
export interface ErroredActionResult {
  readonly applied: string[];
  readonly skipped: { orderId: string; reason: SkipReason }[];
}

export type ErroredActionDeps = {
  stores: Pick<Stores, 'orders' | 'transaction'>;
  clock: Clock;
};

/** How many orders one transaction moves: a whole group may hold thousands. */
const perTransaction = 500;

/**
 * Retries (3 Errored → 1 Pending, DESIGN.md §2 decision 8) or dismisses (3 Errored → 6 Inactive,
 * never sent) errored orders, with one audit record per moved order in the same transaction.
 * `accept` narrows which orders this caller may touch (an entity type's screen); the others are
 * reported as not found, so the answer does not reveal orders of other screens.
 */
export async function actOnErroredOrders(
  deps: ErroredActionDeps,
  action: ErroredAction,
  orderIds: readonly string[],
  actor: string,
  accept: (order: { resourceTypeId: string }) => boolean = () => true,
): Promise<ErroredActionResult> {
  const ids = [...new Set(orderIds)];
  const cause: Cause = { kind: 'user', id: actor };
  const result: ErroredActionResult = { applied: [], skipped: [] };
  for (let i = 0; i < ids.length; i += perTransaction) {
    const chunk = ids.slice(i, i + perTransaction);
    await deps.stores.transaction(async (tx) => {
      const now = deps.clock.now();
      const found = new Map((await tx.orders.getDispatched(chunk)).map((d) => [d.order.id, d]));
      const candidates: string[] = [];
      for (const id of chunk) {
        const dispatched = found.get(id);
        if (!dispatched || !accept(dispatched.order)) result.skipped.push({ orderId: id, reason: 'not_found' });
        else if (dispatched.order.state !== ProvisioningState.Errored) {
          result.skipped.push({ orderId: id, reason: 'not_errored' });
        } else candidates.push(id);
      }
      const moved =
        action === 'retry'
          ? await unblockOrders({ stores: tx, clock: deps.clock }, candidates, cause)
          : await dismiss(tx, candidates, cause, now);
      const movedSet = new Set(moved);
      for (const id of candidates) {
        if (!movedSet.has(id)) result.skipped.push({ orderId: id, reason: 'not_errored' });
      }
      await tx.audit.record(
        ...moved.map((id) => ({
          at: now,
          actor,
          action: action === 'retry' ? 'order.unblocked' : 'order.dismissed',
          targetKind: 'order',
          targetId: id,
          before: { state: ProvisioningState.Errored, lastError: found.get(id)?.dispatch.lastError ?? null },
          after: { state: action === 'retry' ? ProvisioningState.Pending : ProvisioningState.Inactive },
        })),
      );
      result.applied.push(...moved);
    });
  }
  return result;
}

/** 3 Errored → 6 Inactive for the order and the assignments it carries. */
async function dismiss(tx: Stores, orderIds: readonly string[], cause: Cause, now: string): Promise<string[]> {
  const found = await tx.orders.getDispatched(orderIds);
  const applied = await applyOrderMoves(
    tx,
    found.map(({ order }) => ({
      order,
      expected: { from: ProvisioningState.Errored },
      to: ProvisioningState.Inactive,
      events: ['dismissed'],
      change: { finishedAt: now, nextAttemptAt: null },
      message: `dismissed by ${cause.id}`,
    })),
    { cause, now },
  );
  return found.filter((_, i) => applied[i]).map((d) => d.order.id);
}

/**
 * After a retry: agents wake up for automated orders, and the pipeline hands unblocked manual
 * orders to the manual queue again.
 */
export async function afterRetry(
  deps: { signal: { notify(): void }; pipeline: { request(): Promise<void> } },
  applied: readonly string[],
): Promise<void> {
  if (applied.length === 0) return;
  deps.signal.notify();
  await deps.pipeline.request();
}
