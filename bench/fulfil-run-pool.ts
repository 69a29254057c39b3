/**
 * Runs `worker(index, slot)` for every index below `count`, at most `concurrency` at a time:
 * `concurrency` loops each take the next index as soon as their previous one is done. Slots are
 * `0 … concurrency-1`, so a worker can use one connection per slot. The first failure stops the
 * loops from taking more work and is thrown once the running ones have finished.
 */
export async function runPool(
  count: number,
  concurrency: number,
  worker: (index: number, slot: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const loop = async (slot: number) => {
    while (failure === null && next < count) {
      const index = next++;
      try {
        await worker(index, slot);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, (_, slot) => loop(slot)));
  if (failure !== null) throw (failure as { error: unknown }).error;
}
