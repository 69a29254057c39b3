import { identityScopeOf, type Model, permissionsOf } from '@ordo/core';
import type { Principal } from '../../security/principal.ts';
import type { Account } from '../../storage/account-store.ts';

/**
 * Turns an account into what it may do under the applied configuration. Profiles an account holds
 * that the configuration no longer defines grant nothing (they are ignored, not an error).
 */
export function principalOf(
  model: Pick<Model, 'profiles'>,
  account: Account,
  via: Principal['via'],
  tokenName?: string,
): Principal {
  const profiles = account.profiles.flatMap((id) => {
    const profile = model.profiles[id];
    return profile ? [profile] : [];
  });
  return {
    accountId: account.id,
    login: account.login,
    displayName: account.displayName,
    identityId: account.identityId,
    profiles: profiles.map((p) => p.id),
    permissions: permissionsOf(profiles),
    scope: identityScopeOf(
      profiles.map((p) => p.scope),
      account.identityId,
    ),
    via,
    actor: via === 'token' ? `token:${account.login}/${tokenName ?? '?'}` : `account:${account.login}`,
  };
}
