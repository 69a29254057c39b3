import type { IdentityScope } from '@ordo/core';

/** Who is calling the API, with what they may do: resolved once per request. */
export interface Principal {
  readonly accountId: string;
  readonly login: string;
  readonly displayName: string;
  /** The identity this person is (resource id), if any. */
  readonly identityId: string | null;
  readonly profiles: readonly string[];
  /** Every permission path of their profiles. */
  readonly permissions: readonly string[];
  /** Whose identities their scoped permissions reach. */
  readonly scope: IdentityScope;
  /** How the request authenticated: a browser session (cookie + CSRF token) or an API token. */
  readonly via: 'session' | 'token';
  /** The actor written in the audit log. */
  readonly actor: string;
}
