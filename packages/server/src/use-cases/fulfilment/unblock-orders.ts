import { type Cause, ProvisioningState } from '@ordo/core';
import type { Clock } from '../../clock.ts';
import type { Stores } from '../../storage/stores.ts';
import { applyOrderMoves } from './apply-order-moves.ts';

/**
 * A person unblocks errored orders (DESIGN.md §2, decision 8): 3 Errored → 1 Pending, with a
 * fresh attempt count. "Maybe applied" is kept, so the next attempt reads before writing.
 * @returns the ids it unblocked (others were not Errored any more).
 */
export async function unblockOrders(
  deps: { stores: Pick<Stores, 'orders' | 'transaction'>; clock: Clock },
  orderIds: readonly string[],
  by: Cause,
): Promise<string[]> {
  const now = deps.clock.now();
  const found = await deps.stores.orders.getDispatched(orderIds);
  const errored = found.filter((d) => d.order.state === ProvisioningState.Errored);
  const applied = await applyOrderMoves(
    deps.stores,
    errored.map(({ order }) => ({
      order,
      expected: { from: ProvisioningState.Errored },
      to: ProvisioningState.Pending,
      events: ['unblocked'],
      change: { attempts: 0, nextAttemptAt: null, finishedAt: null, executedAt: null },
      message: `unblocked by ${by.id}`,
    })),
    { cause: by, now },
  );
  return errored.filter((_, i) => applied[i]).map((d) => d.order.id);
}
