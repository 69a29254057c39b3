import { grants, type Model, permissionsOf } from '@ordo/core';
import type { Clock } from '../../clock.ts';
import { hashPassword } from '../../security/password-hashing.ts';
import type { Account } from '../../storage/account-store.ts';
import type { Stores } from '../../storage/stores.ts';
import { UseCaseError } from '../use-case-error.ts';

export const minPasswordLength = 12;

/** The right to change accounts (PATCH /api/accounts/:id): nobody takes it from themselves. */
const accountUpdatePermission = '/Administration/Account/Update';

/** An account as the API shows it: never its password hash, only whether OIDC is linked. */
export interface AccountView {
  readonly id: string;
  readonly login: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly identityId: string | null;
  readonly profiles: string[];
  readonly oidcLinked: boolean;
  readonly disabled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function accountViewOf(account: Account): AccountView {
  return {
    id: account.id,
    login: account.login,
    displayName: account.displayName,
    email: account.email,
    identityId: account.identityId,
    profiles: [...account.profiles],
    oidcLinked: account.oidc !== null,
    disabled: account.disabled,
    createdAt: account.createdAt,
    updatedAt: account.updatedAt,
  };
}

export interface AccountDeps {
  readonly stores: Pick<Stores, 'accounts' | 'sessions' | 'audit' | 'resources' | 'transaction'>;
  readonly clock: Clock;
  readonly newId: () => string;
}

export async function listAccounts(deps: { stores: Pick<Stores, 'accounts'> }): Promise<AccountView[]> {
  return (await deps.stores.accounts.list()).map(accountViewOf);
}

export interface NewAccountInput {
  readonly login: string;
  readonly displayName: string;
  readonly email?: string | null;
  /** The key of the identity this person is (e.g. an employee id), resolved to its resource id. */
  readonly identityKey?: string | null;
  readonly profiles: readonly string[];
  /** Absent for an account that signs in only through OIDC. */
  readonly password?: string | null;
}

type FieldError = { path: string; message: string };

/** Pure: the problems of the profiles and password of a new or changed account. */
export function accountInputProblems(
  model: Pick<Model, 'profiles'>,
  input: { profiles?: readonly string[] | undefined; password?: string | null | undefined },
): FieldError[] {
  const errors: FieldError[] = [];
  (input.profiles ?? []).forEach((profile, i) => {
    if (!model.profiles[profile]) errors.push({ path: `profiles.${i}`, message: `no profile ${profile} in the model` });
  });
  if (input.password != null && [...input.password].length < minPasswordLength) {
    errors.push({ path: 'password', message: `a password needs at least ${minPasswordLength} characters` });
  }
  return errors;
}

/** The entity types people's identities may be of: the source entity types of resource types. */
function identityEntityTypes(model: Pick<Model, 'resourceTypes'>): string[] {
  return [...new Set(Object.values(model.resourceTypes).map((t) => t.sourceEntityType))].sort();
}

async function resolveIdentity(
  deps: Pick<AccountDeps, 'stores'>,
  model: Pick<Model, 'resourceTypes'>,
  key: string,
): Promise<string | undefined> {
  for (const entityType of identityEntityTypes(model)) {
    const found = await deps.stores.resources.findByKey(entityType, key);
    if (found) return found.id;
  }
  return undefined;
}

/** Creates an account; refuses every bad field at once, and a login already taken. */
export async function createAccount(
  deps: AccountDeps,
  model: Pick<Model, 'profiles' | 'resourceTypes'>,
  actor: string,
  input: NewAccountInput,
): Promise<AccountView> {
  const errors = accountInputProblems(model, input);
  let identityId: string | null = null;
  if (input.identityKey) {
    identityId = (await resolveIdentity(deps, model, input.identityKey)) ?? null;
    if (!identityId) errors.push({ path: 'identityKey', message: `no identity with the key ${input.identityKey}` });
  }
  if (errors.length > 0) throw invalid(errors);
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const id = deps.newId();
  const at = deps.clock.now();
  try {
    return await deps.stores.transaction(async (tx) => {
      if (await tx.accounts.byLogin(input.login)) throw loginTaken(input.login);
      await tx.accounts.create({
        id,
        login: input.login,
        displayName: input.displayName,
        email: input.email ?? null,
        passwordHash,
        identityId,
        profiles: [...new Set(input.profiles)],
        at,
      });
      const created = await tx.accounts.get(id);
      if (!created) throw new Error(`account ${id} vanished after its creation`);
      const view = accountViewOf(created);
      await tx.audit.record({
        at,
        actor,
        action: 'account.created',
        targetKind: 'account',
        targetId: id,
        after: { ...view, password: passwordHash ? 'set' : 'none' },
      });
      return view;
    });
  } catch (error) {
    // Two creations of one login at once: the unique index refuses the second.
    if (!(error instanceof UseCaseError) && (await deps.stores.accounts.byLogin(input.login))) {
      throw loginTaken(input.login);
    }
    throw error;
  }
}

export interface AccountChange {
  readonly displayName?: string;
  readonly email?: string | null;
  readonly identityKey?: string | null;
  readonly profiles?: readonly string[];
  readonly disabled?: boolean;
  /** A new password (a reset): every session of the account ends. */
  readonly password?: string;
}

/**
 * Changes an account. Disabling it or resetting its password ends all its sessions (its API tokens
 * stop working while it is disabled). One cannot disable one's own account.
 */
export async function updateAccount(
  deps: AccountDeps,
  model: Pick<Model, 'profiles' | 'resourceTypes'>,
  actor: { readonly accountId: string; readonly actor: string },
  accountId: string,
  change: AccountChange,
): Promise<AccountView> {
  const errors = accountInputProblems(model, change);
  let identityId: string | null | undefined;
  if (change.identityKey !== undefined) {
    identityId =
      change.identityKey === null ? null : ((await resolveIdentity(deps, model, change.identityKey)) ?? null);
    if (change.identityKey !== null && !identityId) {
      errors.push({ path: 'identityKey', message: `no identity with the key ${change.identityKey}` });
    }
  }
  if (change.disabled === true && accountId === actor.accountId) {
    errors.push({ path: 'disabled', message: 'one cannot disable one’s own account' });
  }
  if (change.profiles !== undefined && accountId === actor.accountId) {
    // Otherwise the last administrator could lock everyone out of account management.
    const kept = permissionsOf(change.profiles.flatMap((id) => (model.profiles[id] ? [model.profiles[id]] : [])));
    if (!grants(kept, accountUpdatePermission)) {
      errors.push({
        path: 'profiles',
        message: `these profiles would take away your own right to manage accounts (${accountUpdatePermission}): another administrator must make this change`,
      });
    }
  }
  if (errors.length > 0) throw invalid(errors);
  const passwordHash = change.password !== undefined ? await hashPassword(change.password) : undefined;
  const at = deps.clock.now();
  // Compare-and-set: when another change lands between our read and our write, read again, so
  // that the audit record's `before` is what this change really replaced.
  for (let attempt = 1; ; attempt++) {
    const done = await tryUpdate();
    if (done) return done;
    if (attempt >= 5) throw new UseCaseError('conflict', 'ACCOUNT_CHANGED', 'the account keeps changing; try again');
  }

  function tryUpdate(): Promise<AccountView | null> {
    return deps.stores.transaction(async (tx) => {
      const before = await tx.accounts.get(accountId);
      if (!before) throw new UseCaseError('not_found', 'ACCOUNT_NOT_FOUND', `no account ${accountId}`);
      const changed = await tx.accounts.update(
        accountId,
        {
          ...(change.displayName !== undefined ? { displayName: change.displayName } : {}),
          ...(change.email !== undefined ? { email: change.email } : {}),
          ...(identityId !== undefined ? { identityId } : {}),
          ...(change.profiles !== undefined ? { profiles: [...new Set(change.profiles)] } : {}),
          ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
          ...(passwordHash !== undefined ? { passwordHash } : {}),
          at,
        },
        before,
      );
      if (!changed) return null;
      const after = await tx.accounts.get(accountId);
      if (!after) throw new Error(`account ${accountId} vanished during its update`);
      const endsSessions = (change.disabled === true && !before.disabled) || passwordHash !== undefined;
      if (endsSessions) await tx.sessions.deleteForAccount(accountId);
      await tx.audit.record({
        at,
        actor: actor.actor,
        action: 'account.updated',
        targetKind: 'account',
        targetId: accountId,
        before: accountViewOf(before),
        after: accountViewOf(after),
        ...(passwordHash !== undefined ? { detail: 'password reset' } : {}),
      });
      return accountViewOf(after);
    });
  }
}

function invalid(errors: FieldError[]): UseCaseError {
  return new UseCaseError('invalid', 'ACCOUNT_INVALID', `the account is not valid: ${errors.length} problem(s)`, {
    errors,
  });
}

function loginTaken(login: string): UseCaseError {
  return new UseCaseError('conflict', 'LOGIN_TAKEN', `an account with the login ${login} exists already`);
}
