import { type Model, ProvisioningState } from '@ordo/core';
import type { Clock } from '../../clock.ts';
import type { Stores } from '../../storage/stores.ts';
import { applyOrderMoves, type OrderMove } from './apply-order-moves.ts';

/**
 * The Transmitted/Executed watchdog (DESIGN.md §2, decision 6): an order that has been
 * Transmitted or Executed for longer than its resource type's `watchdogMinutes` (0 = off) turns
 * 3 Errored, so that silence becomes visible instead of waiting forever.
 * @returns how many orders it turned Errored.
 */
export async function runWatchdog(
  deps: { stores: Pick<Stores, 'orders' | 'transaction'>; clock: Clock },
  model: Model,
): Promise<number> {
  const now = deps.clock.now();
  const moves: OrderMove[] = [];
  const limits = new Map(
    Object.values(model.resourceTypes)
      .filter((rt) => rt.watchdogMinutes > 0)
      .map((rt) => [rt.id, rt.watchdogMinutes]),
  );
  if (limits.size === 0) return 0;
  const shortest = Math.min(...limits.values());
  const before = new Date(Date.parse(now) - shortest * 60_000).toISOString();
  for (const [state, column] of [
    [ProvisioningState.Transmitted, 'transmitted_at'],
    [ProvisioningState.Executed, 'executed_at'],
  ] as const) {
    for (const { order, dispatch } of await deps.stores.orders.listStale(state, column, before, 10_000)) {
      const minutes = limits.get(order.resourceTypeId);
      const since = state === ProvisioningState.Transmitted ? dispatch.transmittedAt : dispatch.executedAt;
      if (!minutes || !since || Date.parse(since) > Date.parse(now) - minutes * 60_000) continue;
      const message = `watchdog: ${state === ProvisioningState.Transmitted ? 'no result' : 'not verified'} after ${minutes} minutes`;
      moves.push({
        order,
        expected: { from: state },
        to: ProvisioningState.Errored,
        events: ['watchdog_expired'],
        change: {
          finishedAt: now,
          leaseOwner: null,
          leaseToken: null,
          leaseExpiresAt: null,
          lastError: { message, kind: 'watchdog', applied: 'maybe', retryable: false },
        },
        message,
      });
    }
  }
  const applied = await applyOrderMoves(deps.stores, moves, { cause: { kind: 'job', id: 'watchdog' }, now });
  return applied.filter(Boolean).length;
}
