import { describe, expect, it } from 'vitest';
import { runPool } from '../fulfil-run-pool.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('runPool', () => {
  it('runs every index once, never more than `concurrency` at a time, each slot one at a time', async () => {
    const seen: number[] = [];
    const busySlots = new Set<number>();
    let running = 0;
    let peak = 0;
    await runPool(50, 4, async (index, slot) => {
      expect(busySlots.has(slot)).toBe(false);
      busySlots.add(slot);
      running += 1;
      peak = Math.max(peak, running);
      await tick();
      seen.push(index);
      running -= 1;
      busySlots.delete(slot);
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(peak).toBe(4);
  });

  it('opens no more slots than there is work, and does nothing for no work', async () => {
    const slots = new Set<number>();
    await runPool(2, 8, async (_index, slot) => {
      slots.add(slot);
    });
    expect([...slots].sort()).toEqual([0, 1]);
    let calls = 0;
    await runPool(0, 8, async () => {
      calls += 1;
    });
    expect(calls).toBe(0);
  });

  it('stops taking work after a failure and throws it once the running ones are done', async () => {
    const done: number[] = [];
    await expect(
      runPool(100, 2, async (index) => {
        await tick();
        if (index === 3) throw new Error('add failed: entry 3');
        done.push(index);
      }),
    ).rejects.toThrow('add failed: entry 3');
    expect(done.length).toBeLessThan(10);
  });
});
