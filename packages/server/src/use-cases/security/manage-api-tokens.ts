import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { ApiTokenInfo } from '../../storage/api-token-store.ts';
import type { Stores } from '../../storage/stores.ts';
import { UseCaseError } from '../use-case-error.ts';

export const apiTokenPrefix = 'ordo_pat_';

export interface ApiTokenDeps {
  readonly stores: Pick<Stores, 'accounts' | 'apiTokens' | 'audit' | 'transaction'>;
  readonly clock: Clock;
  readonly newId: () => string;
}

/** A token as listed: its value is never shown again after creation. */
export type ApiTokenView = Omit<ApiTokenInfo, 'accountId'>;

const viewOf = ({ accountId: _accountId, ...rest }: ApiTokenInfo): ApiTokenView => rest;

export function newApiTokenValue(): string {
  return `${apiTokenPrefix}${randomBytes(32).toString('base64url')}`;
}

export async function listApiTokens(deps: Pick<ApiTokenDeps, 'stores'>, accountId: string): Promise<ApiTokenView[]> {
  if (!(await deps.stores.accounts.get(accountId))) {
    throw new UseCaseError('not_found', 'ACCOUNT_NOT_FOUND', `no account ${accountId}`);
  }
  return (await deps.stores.apiTokens.listFor(accountId)).map(viewOf);
}

/** Creates a token acting as the account; the value is answered once and stored only as a hash. */
export async function createApiToken(
  deps: ApiTokenDeps,
  actor: string,
  input: { readonly accountId: string; readonly name: string; readonly expiresAt?: string | null },
): Promise<ApiTokenView & { token: string }> {
  const now = deps.clock.now();
  if (input.expiresAt && input.expiresAt <= now) {
    throw new UseCaseError('invalid', 'TOKEN_INVALID', 'the token would be expired already', {
      errors: [{ path: 'expiresAt', message: 'must be in the future' }],
    });
  }
  const token = newApiTokenValue();
  const id = deps.newId();
  return deps.stores.transaction(async (tx) => {
    const account = await tx.accounts.get(input.accountId);
    if (!account) throw new UseCaseError('not_found', 'ACCOUNT_NOT_FOUND', `no account ${input.accountId}`);
    await tx.apiTokens.create({
      id,
      accountId: account.id,
      name: input.name,
      token,
      at: now,
      expiresAt: input.expiresAt ?? null,
    });
    const created = (await tx.apiTokens.listFor(account.id)).find((t) => t.id === id);
    if (!created) throw new Error(`token ${id} vanished after its creation`);
    await tx.audit.record({
      at: now,
      actor,
      action: 'api_token.created',
      targetKind: 'account',
      targetId: account.id,
      after: viewOf(created),
    });
    return { ...viewOf(created), token };
  });
}

/** Revokes a token of the account; a token of another account is not found (no leak of ids). */
export async function revokeApiToken(
  deps: Pick<ApiTokenDeps, 'stores' | 'clock'>,
  actor: string,
  input: { readonly accountId: string; readonly tokenId: string },
): Promise<ApiTokenView> {
  const now = deps.clock.now();
  return deps.stores.transaction(async (tx) => {
    const before = (await tx.apiTokens.listFor(input.accountId)).find((t) => t.id === input.tokenId);
    if (!before) throw new UseCaseError('not_found', 'TOKEN_NOT_FOUND', `no token ${input.tokenId} of this account`);
    if (before.revokedAt !== null || !(await tx.apiTokens.revoke(before.id, now))) {
      throw new UseCaseError('conflict', 'TOKEN_ALREADY_REVOKED', `the token ${input.tokenId} is revoked already`);
    }
    const after = { ...viewOf(before), revokedAt: now };
    await tx.audit.record({
      at: now,
      actor,
      action: 'api_token.revoked',
      targetKind: 'account',
      targetId: input.accountId,
      before: viewOf(before),
      after,
    });
    return after;
  });
}
