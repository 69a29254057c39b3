import type { Stores } from '@ordo/server';

type ComputeStores = Pick<Stores, 'resources' | 'assignments' | 'ledger' | 'transaction'>;

/** Wall time per store call (`assignments.saveChanges`, `transaction`...), and call counts. */
export type StoreTimings = Map<string, { calls: number; ms: number }>;

/**
 * Wraps the stores a computation uses so that the time spent in each store method is measured
 * without touching the use case: whatever a computation spends outside them is the engine
 * (evaluation, diffing, ledger mapping). Transactions hand out wrapped stores too, so writes
 * inside a batch are counted as `tx.<store>.<method>`; `transaction` includes them and the commit.
 */
export function timedStores(stores: ComputeStores, timings: StoreTimings, prefix = ''): ComputeStores {
  return {
    resources: timedMethods(`${prefix}resources`, stores.resources, timings),
    assignments: timedMethods(`${prefix}assignments`, stores.assignments, timings),
    ledger: timedMethods(`${prefix}ledger`, stores.ledger, timings),
    transaction: (fn) =>
      prefix
        ? stores.transaction((tx) => fn(timedStores(tx, timings, prefix) as Stores))
        : timed('transaction', timings, () =>
            stores.transaction((tx) => fn(timedStores(tx, timings, 'tx.') as Stores)),
          ),
  };
}

function timedMethods<T extends object>(name: string, target: T, timings: StoreTimings): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) =>
        timed(`${name}.${property}`, timings, () =>
          (value as (...a: unknown[]) => Promise<unknown>).apply(object, args),
        );
    },
  });
}

async function timed<T>(key: string, timings: StoreTimings, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    const entry = timings.get(key) ?? { calls: 0, ms: 0 };
    entry.calls += 1;
    entry.ms += performance.now() - started;
    timings.set(key, entry);
  }
}

/**
 * Seconds per store call, and what is left for the engine: the computation's wall time minus the
 * time in store calls made outside a transaction and in the transactions (writes and commits).
 */
export function timingBreakdown(
  timings: StoreTimings,
  wallMs: number,
): Record<string, { calls: number; seconds: number }> {
  const result: Record<string, { calls: number; seconds: number }> = {};
  let storeMs = 0;
  for (const [key, { calls, ms }] of [...timings.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
    result[key] = { calls, seconds: Math.round(ms) / 1000 };
  }
  for (const [key, { ms }] of timings) {
    // Calls inside a transaction (tx.*) are already counted in `transaction`.
    if (!key.startsWith('tx.')) storeMs += ms;
  }
  result['engine (wall minus store time)'] = { calls: 0, seconds: Math.round(wallMs - storeMs) / 1000 };
  return result;
}
