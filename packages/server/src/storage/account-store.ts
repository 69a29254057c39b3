import type { Selectable } from 'kysely';
import type { Database } from './database.ts';
import type { AccountsTable } from './schema.ts';

export interface Account {
  readonly id: string;
  readonly login: string;
  readonly displayName: string;
  readonly email: string | null;
  /** The identity this person is (a resource id), for `self` and `managed` profile scopes. */
  readonly identityId: string | null;
  readonly profiles: readonly string[];
  readonly oidc: { readonly issuer: string; readonly subject: string } | null;
  readonly disabled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewAccount {
  readonly id: string;
  readonly login: string;
  readonly displayName: string;
  readonly email?: string | null;
  readonly passwordHash?: string | null;
  readonly identityId?: string | null;
  readonly profiles: readonly string[];
  readonly oidc?: { readonly issuer: string; readonly subject: string } | null;
  readonly at: string;
}

/** People who sign in, with their profiles. The password hash never leaves this store but to verify. */
export class AccountStore {
  constructor(private readonly database: Database) {}

  async create(account: NewAccount): Promise<void> {
    await this.database.db
      .insertInto('accounts')
      .values({
        id: account.id,
        login: account.login,
        display_name: account.displayName,
        email: account.email ?? null,
        password_hash: account.passwordHash ?? null,
        identity_id: account.identityId ?? null,
        profiles: JSON.stringify(account.profiles),
        oidc_issuer: account.oidc?.issuer ?? null,
        oidc_subject: account.oidc?.subject ?? null,
        disabled: 0,
        created_at: account.at,
        updated_at: account.at,
      })
      .execute();
  }

  async get(id: string): Promise<Account | undefined> {
    const row = await this.database.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toAccount(row);
  }

  async byLogin(login: string): Promise<Account | undefined> {
    const row = await this.database.db.selectFrom('accounts').selectAll().where('login', '=', login).executeTakeFirst();
    return row && toAccount(row);
  }

  /** Accounts with this email, compared without case. */
  async byEmail(email: string): Promise<Account[]> {
    const wanted = email.toLowerCase();
    return (await this.list()).filter((a) => a.email?.toLowerCase() === wanted);
  }

  async byOidcSubject(issuer: string, subject: string): Promise<Account | undefined> {
    const row = await this.database.db
      .selectFrom('accounts')
      .selectAll()
      .where('oidc_issuer', '=', issuer)
      .where('oidc_subject', '=', subject)
      .executeTakeFirst();
    return row && toAccount(row);
  }

  /** The stored hash of a login's password, for verification only. */
  async passwordHashOf(
    login: string,
  ): Promise<{ accountId: string; hash: string | null; disabled: boolean } | undefined> {
    const row = await this.database.db
      .selectFrom('accounts')
      .select(['id', 'password_hash', 'disabled'])
      .where('login', '=', login)
      .executeTakeFirst();
    return row && { accountId: row.id, hash: row.password_hash, disabled: row.disabled === 1 };
  }

  async list(): Promise<Account[]> {
    const rows = await this.database.db.selectFrom('accounts').selectAll().orderBy('login').execute();
    return rows.map(toAccount);
  }

  async update(
    id: string,
    change: {
      readonly displayName?: string;
      readonly email?: string | null;
      readonly passwordHash?: string | null;
      readonly identityId?: string | null;
      readonly profiles?: readonly string[];
      readonly oidc?: { readonly issuer: string; readonly subject: string } | null;
      readonly disabled?: boolean;
      readonly at: string;
    },
    /** Compare-and-set: change the row only if it still is this (else answer false). */
    expected?: Account,
  ): Promise<boolean> {
    const result = await this.database.db
      .updateTable('accounts')
      .set({
        ...(change.displayName !== undefined ? { display_name: change.displayName } : {}),
        ...(change.email !== undefined ? { email: change.email } : {}),
        ...(change.passwordHash !== undefined ? { password_hash: change.passwordHash } : {}),
        ...(change.identityId !== undefined ? { identity_id: change.identityId } : {}),
        ...(change.profiles !== undefined ? { profiles: JSON.stringify(change.profiles) } : {}),
        ...(change.oidc !== undefined
          ? { oidc_issuer: change.oidc?.issuer ?? null, oidc_subject: change.oidc?.subject ?? null }
          : {}),
        ...(change.disabled !== undefined ? { disabled: change.disabled ? 1 : 0 } : {}),
        updated_at: change.at,
      })
      .where('id', '=', id)
      .$if(expected !== undefined, (qb) => {
        const e = expected as Account;
        return qb
          .where('updated_at', '=', e.updatedAt)
          .where('display_name', '=', e.displayName)
          .where('profiles', '=', JSON.stringify(e.profiles))
          .where('disabled', '=', e.disabled ? 1 : 0)
          .where('email', e.email === null ? 'is' : '=', e.email)
          .where('identity_id', e.identityId === null ? 'is' : '=', e.identityId)
          .where('oidc_subject', e.oidc === null ? 'is' : '=', e.oidc?.subject ?? null);
      })
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}

function toAccount(row: Selectable<AccountsTable>): Account {
  return {
    id: row.id,
    login: row.login,
    displayName: row.display_name,
    email: row.email,
    identityId: row.identity_id,
    profiles: JSON.parse(row.profiles),
    oidc: row.oidc_issuer && row.oidc_subject ? { issuer: row.oidc_issuer, subject: row.oidc_subject } : null,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
