import { describe, expect, it } from 'vitest';
import { CountCache, type QueueSize } from '../../src/use-cases/home/count-cache.ts';

describe('CountCache: costly queue sizes shared for a while', () => {
  const size = (count: number): QueueSize => ({ count, more: false });

  it('counts once within the time to live, again after it', async () => {
    let now = 0;
    let counted = 0;
    const cache = new CountCache(60_000, () => now);
    const count = async () => size(++counted);
    expect(await cache.get('k', count)).toEqual(size(1));
    now = 59_999;
    expect(await cache.get('k', count)).toEqual(size(1));
    expect(await cache.get('other', count)).toEqual(size(2));
    now = 60_000;
    expect(await cache.get('k', count)).toEqual(size(3));
  });

  it('lets concurrent askers wait for the same count', async () => {
    const cache = new CountCache(60_000, () => 0);
    let started = 0;
    let finish: (value: QueueSize) => void = () => {};
    const count = () => {
      started += 1;
      return new Promise<QueueSize>((resolve) => {
        finish = resolve;
      });
    };
    const first = cache.get('k', count);
    const second = cache.get('k', count);
    finish(size(7));
    expect(await Promise.all([first, second])).toEqual([size(7), size(7)]);
    expect(started).toBe(1);
  });

  it('does not keep a failed count', async () => {
    const cache = new CountCache(60_000, () => 0);
    await expect(cache.get('k', async () => Promise.reject(new Error('database gone')))).rejects.toThrow(
      'database gone',
    );
    expect(await cache.get('k', async () => size(4))).toEqual(size(4));
  });
});
