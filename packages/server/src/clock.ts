/** Time is injected so that expiry, watchdogs and backoff are tested without sleeping. */
export interface Clock {
  now(): string;
}

export const systemClock: Clock = { now: () => new Date().toISOString() };

export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let current = iso;
  return {
    now: () => current,
    set: (next) => {
      current = next;
    },
  };
}
