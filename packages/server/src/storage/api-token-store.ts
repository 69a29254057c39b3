import type { Database } from './database.ts';
import { hashSecret } from './session-store.ts';

export interface ApiTokenInfo {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** API tokens of programs: each acts as an account, with its profiles. Only a hash is stored. */
export class ApiTokenStore {
  constructor(private readonly database: Database) {}

  async create(entry: {
    id: string;
    accountId: string;
    name: string;
    token: string;
    at: string;
    expiresAt?: string | null;
  }): Promise<void> {
    await this.database.db
      .insertInto('api_tokens')
      .values({
        id: entry.id,
        account_id: entry.accountId,
        name: entry.name,
        token_hash: hashSecret(entry.token),
        created_at: entry.at,
        expires_at: entry.expiresAt ?? null,
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
  }

  /** The live token, or undefined for an unknown, revoked or expired one. */
  async find(token: string, now: string): Promise<ApiTokenInfo | undefined> {
    const row = await this.database.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', hashSecret(token))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row || (row.expires_at !== null && row.expires_at <= now)) return undefined;
    return toInfo(row);
  }

  async markUsed(id: string, at: string): Promise<void> {
    await this.database.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  async listFor(accountId: string): Promise<ApiTokenInfo[]> {
    const rows = await this.database.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .execute();
    return rows.map(toInfo);
  }

  async revoke(id: string, at: string): Promise<boolean> {
    const result = await this.database.db
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}

function toInfo(row: {
  id: string;
  account_id: string;
  name: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}): ApiTokenInfo {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
