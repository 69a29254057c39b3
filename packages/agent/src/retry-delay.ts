export interface BackoffPolicy {
  /** Delay before the second attempt, before jitter. */
  readonly baseMs: number;
  readonly maxMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 500, maxMs: 30_000 };

/**
 * Exponential backoff with "equal jitter" (half the exponential bound plus a random part of the
 * other half), so that many orders failing together against one target do not retry in lockstep,
 * yet none retries at once. A system that says when to come back (Retry-After) is obeyed when it
 * asks for longer.
 */
export function retryDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number,
  retryAfterMs?: number,
): number {
  const bound = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(bound / 2 + (random() * bound) / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}
