import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import { decoyHash, verifyPassword } from '../../security/password-hashing.ts';
import type { Session } from '../../storage/session-store.ts';
import type { Stores } from '../../storage/stores.ts';
import { UseCaseError } from '../use-case-error.ts';
import { checkLoginAllowed, clearLoginFailures, type LoginThrottleDeps, recordLoginFailure } from './login-throttle.ts';

export const sessionIdleMinutes = 60;
export const sessionMaxHours = 12;

export interface SignInDeps extends LoginThrottleDeps {
  readonly stores: Pick<Stores, 'accounts' | 'sessions' | 'audit' | 'loginThrottle'>;
  readonly clock: Clock;
}

export interface NewSession {
  /** The cookie value: shown once, stored only as a hash. */
  readonly secret: string;
  readonly session: Session;
}

/**
 * Password sign-in. Every refusal says the same thing ("login or password is wrong") so that an
 * attacker learns nothing about which logins exist; repeated failures lock the login and the
 * client address for a while (`LOGIN_THROTTLED`, with Retry-After).
 */
export async function signInWithPassword(
  deps: SignInDeps,
  input: { readonly login: string; readonly password: string; readonly clientAddress: string },
): Promise<NewSession> {
  const keys = [`login:${input.login.toLowerCase()}`, `address:${input.clientAddress}`];
  await checkLoginAllowed(deps, keys);
  const stored = await deps.stores.accounts.passwordHashOf(input.login);
  const hash = stored?.hash ?? (await decoyHash());
  const matches = await verifyPassword(hash, input.password);
  if (!stored?.hash || stored.disabled || !matches) {
    await recordLoginFailure(deps, keys);
    await deps.stores.audit.record({
      at: deps.clock.now(),
      actor: `anonymous:${input.clientAddress}`,
      action: 'session.sign_in_refused',
      targetKind: 'account',
      targetId: input.login.slice(0, 200),
      detail: stored?.disabled ? 'account disabled' : 'wrong login or password',
    });
    throw new UseCaseError('unauthenticated', 'LOGIN_FAILED', 'the login or the password is wrong');
  }
  await clearLoginFailures(deps, [keys[0] as string]);
  return openSession(deps, stored.accountId, 'password', `account:${input.login}`);
}

/** Opens a session for an account already authenticated (password or OIDC). */
export async function openSession(
  deps: Pick<SignInDeps, 'stores' | 'clock'>,
  accountId: string,
  via: Session['via'],
  actor: string,
): Promise<NewSession> {
  const now = deps.clock.now();
  const session: Session = {
    accountId,
    csrfToken: randomBytes(24).toString('base64url'),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: idleExpiry(now, now),
    via,
  };
  const secret = randomBytes(32).toString('base64url');
  await deps.stores.sessions.create(secret, session);
  await deps.stores.audit.record({
    at: now,
    actor,
    action: 'session.signed_in',
    targetKind: 'account',
    targetId: accountId,
    detail: via,
  });
  return { secret, session };
}

/** A session lives `sessionIdleMinutes` after its last use, and never beyond `sessionMaxHours`. */
export function idleExpiry(createdAt: string, now: string): string {
  const idle = Date.parse(now) + sessionIdleMinutes * 60_000;
  const max = Date.parse(createdAt) + sessionMaxHours * 3_600_000;
  return new Date(Math.min(idle, max)).toISOString();
}
