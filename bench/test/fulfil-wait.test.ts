import { describe, expect, it } from 'vitest';
import { waitUntil } from '../fulfil-wait.ts';

/** A minimal event source: `emit` calls every listener. */
function events() {
  const listeners = new Set<() => void>();
  return {
    onRecorded(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: () => {
      for (const l of listeners) l();
    },
    get listening() {
      return listeners.size;
    },
  };
}

describe('waitUntil', () => {
  it('checks on each event, resolves with the first result, and stops listening', async () => {
    const source = events();
    let value: string | null = null;
    let checks = 0;
    const waiting = waitUntil(
      source,
      async () => {
        checks += 1;
        return value;
      },
      { pollMs: 60_000, stalledMs: 60_000, what: 'test' },
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    value = 'verified';
    source.emit();
    await expect(waiting).resolves.toBe('verified');
    expect(checks).toBe(2);
    expect(source.listening).toBe(0);
  });

  it('polls when no event comes', async () => {
    let calls = 0;
    const result = await waitUntil(events(), async () => (++calls >= 3 ? calls : null), {
      pollMs: 2,
      stalledMs: 60_000,
      what: 'test',
    });
    expect(result).toBe(3);
  });

  it('rejects when a check throws, and when progress stalls', async () => {
    await expect(
      waitUntil(
        events(),
        async () => {
          throw new Error('an order is Errored');
        },
        { pollMs: 2, stalledMs: 60_000, what: 'test' },
      ),
    ).rejects.toThrow('an order is Errored');
    await expect(
      waitUntil(events(), async () => null, { pollMs: 2, stalledMs: 20, what: 'provisioning', progress: () => 7 }),
    ).rejects.toThrow('bench: provisioning: no progress for 0 s');
  });
});
