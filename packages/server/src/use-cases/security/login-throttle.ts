import type { Clock } from '../../clock.ts';
import type { ThrottleRecord } from '../../storage/login-throttle-store.ts';
import type { Stores } from '../../storage/stores.ts';
import { UseCaseError } from '../use-case-error.ts';

export interface LoginThrottlePolicy {
  /** Failures within `windowMinutes` that lock the key. */
  readonly maxFailures: number;
  readonly windowMinutes: number;
  readonly lockMinutes: number;
}

/** A login is locked after 5 failures in 15 minutes; a client address after 20 (password spraying). */
export const defaultThrottlePolicy = {
  login: { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 },
  address: { maxFailures: 20, windowMinutes: 15, lockMinutes: 15 },
} as const satisfies Record<string, LoginThrottlePolicy>;

export interface LoginThrottleDeps {
  readonly stores: Pick<Stores, 'loginThrottle'>;
  readonly clock: Clock;
}

function policyOf(key: string): LoginThrottlePolicy {
  return key.startsWith('address:') ? defaultThrottlePolicy.address : defaultThrottlePolicy.login;
}

/** Refuses with `LOGIN_THROTTLED` (and when to retry) while any key is locked. */
export async function checkLoginAllowed(deps: LoginThrottleDeps, keys: readonly string[]): Promise<void> {
  const now = Date.parse(deps.clock.now());
  const lockedUntil = Math.max(
    0,
    ...(await deps.stores.loginThrottle.get(keys)).map((r) => (r.lockedUntil ? Date.parse(r.lockedUntil) : 0)),
  );
  if (lockedUntil > now) {
    throw new UseCaseError('throttled', 'LOGIN_THROTTLED', 'too many failed sign-ins; try again later', {
      retryAfterSeconds: Math.ceil((lockedUntil - now) / 1000),
    });
  }
}

/** Pure: the record after one more failure at `now`. */
export function afterFailure(record: ThrottleRecord | undefined, key: string, now: string): ThrottleRecord {
  const policy = policyOf(key);
  const windowOver = !record || Date.parse(now) - Date.parse(record.windowStartedAt) > policy.windowMinutes * 60_000;
  const failures = windowOver ? 1 : record.failures + 1;
  const windowStartedAt = windowOver ? now : record.windowStartedAt;
  const lockedUntil =
    failures >= policy.maxFailures ? new Date(Date.parse(now) + policy.lockMinutes * 60_000).toISOString() : null;
  return { key, failures, windowStartedAt, lockedUntil };
}

export async function recordLoginFailure(deps: LoginThrottleDeps, keys: readonly string[]): Promise<void> {
  const now = deps.clock.now();
  const existing = new Map((await deps.stores.loginThrottle.get(keys)).map((r) => [r.key, r]));
  for (const key of keys) await deps.stores.loginThrottle.put(afterFailure(existing.get(key), key, now));
}

export async function clearLoginFailures(deps: LoginThrottleDeps, keys: readonly string[]): Promise<void> {
  await deps.stores.loginThrottle.delete(keys);
}

/** Housekeeping: forgets failures whose window is over and whose lock has lapsed. */
export async function forgetStaleLoginFailures(deps: LoginThrottleDeps): Promise<number> {
  const now = deps.clock.now();
  const longest = Math.max(...Object.values(defaultThrottlePolicy).map((p) => p.windowMinutes));
  return deps.stores.loginThrottle.deleteStale(new Date(Date.parse(now) - longest * 60_000).toISOString(), now);
}
