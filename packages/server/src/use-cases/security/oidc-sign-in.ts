import type { Clock } from '../../clock.ts';
import type { OidcIdentity } from '../../security/oidc-flow.ts';
import type { Account } from '../../storage/account-store.ts';
import type { Stores } from '../../storage/stores.ts';
import { UseCaseError } from '../use-case-error.ts';
import { type NewSession, openSession } from './sign-in.ts';

export interface OidcSignInDeps {
  readonly stores: Pick<Stores, 'accounts' | 'sessions' | 'audit' | 'transaction'>;
  readonly clock: Clock;
}

/**
 * Signs in the person an OIDC provider vouched for. Accounts are never created here (no
 * auto-provisioning): the subject must be linked to an account already, or, the first time, match
 * one account by login (the configured claim) or by verified email, which then gets linked to it.
 * An account linked to another subject of the same provider is not taken over.
 */
export async function signInWithOidc(
  deps: OidcSignInDeps,
  identity: OidcIdentity,
  clientAddress: string,
): Promise<NewSession> {
  const now = deps.clock.now();
  const refuse = async (code: string, reason: string): Promise<never> => {
    await deps.stores.audit.record({
      at: now,
      actor: `anonymous:${clientAddress}`,
      action: 'session.oidc_refused',
      targetKind: 'oidc_subject',
      targetId: `${identity.issuer}#${identity.subject}`.slice(0, 500),
      detail: `${reason} (login claim: ${identity.login ?? '-'}, email: ${identity.email ?? '-'})`,
    });
    throw new UseCaseError('unauthenticated', code, 'no Ordo account may sign in with this identity');
  };

  let account = await deps.stores.accounts.byOidcSubject(identity.issuer, identity.subject);
  let linking = false;
  if (!account) {
    const candidates = await firstTimeCandidates(deps, identity);
    if (candidates.length > 1) return refuse('OIDC_ACCOUNT_AMBIGUOUS', 'several accounts match');
    account = candidates[0];
    if (!account) return refuse('OIDC_ACCOUNT_UNKNOWN', 'no account matches the subject');
    if (account.oidc)
      return refuse('OIDC_ACCOUNT_LINKED_ELSEWHERE', 'the matching account is linked to another subject');
    linking = true;
  }
  if (account.disabled) return refuse('OIDC_ACCOUNT_DISABLED', `the account ${account.login} is disabled`);
  const target = account;
  return deps.stores.transaction(async (tx) => {
    if (linking) {
      const link = { issuer: identity.issuer, subject: identity.subject };
      // Compare-and-set: two first sign-ins racing for one account link it once.
      if (!(await tx.accounts.update(target.id, { oidc: link, at: now }, target))) {
        throw new UseCaseError('conflict', 'OIDC_ACCOUNT_CHANGED', 'the account changed during sign-in; try again');
      }
      await tx.audit.record({
        at: now,
        actor: `oidc:${identity.issuer}#${identity.subject}`,
        action: 'account.oidc_linked',
        targetKind: 'account',
        targetId: target.id,
        before: { oidc: null },
        after: { oidc: link },
      });
    }
    return openSession({ stores: tx, clock: deps.clock }, target.id, 'oidc', `account:${target.login}`);
  });
}

async function firstTimeCandidates(deps: OidcSignInDeps, identity: OidcIdentity): Promise<Account[]> {
  if (identity.login) {
    const byLogin = await deps.stores.accounts.byLogin(identity.login);
    if (byLogin) return [byLogin];
  }
  return identity.email ? deps.stores.accounts.byEmail(identity.email) : [];
}
