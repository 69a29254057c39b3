import { createHash } from 'node:crypto';
import type { Database } from './database.ts';

export interface Session {
  readonly accountId: string;
  readonly csrfToken: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly lastSeenAt: string;
  readonly via: 'password' | 'oidc';
}

/**
 * Server-side sessions. The cookie holds a random value; only its SHA-256 is stored, so a copy of
 * the database cannot be replayed as live sessions (the value is random, so a slow hash adds nothing).
 */
export class SessionStore {
  constructor(private readonly database: Database) {}

  async create(secret: string, session: Session): Promise<void> {
    await this.database.db
      .insertInto('sessions')
      .values({
        id_hash: hashSecret(secret),
        account_id: session.accountId,
        csrf_token: session.csrfToken,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
        last_seen_at: session.lastSeenAt,
        via: session.via,
      })
      .execute();
  }

  /** The live session of a cookie value, or undefined when unknown or expired at `now`. */
  async find(secret: string, now: string): Promise<Session | undefined> {
    const row = await this.database.db
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', hashSecret(secret))
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return (
      row && {
        accountId: row.account_id,
        csrfToken: row.csrf_token,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        lastSeenAt: row.last_seen_at,
        via: row.via as Session['via'],
      }
    );
  }

  async touch(secret: string, lastSeenAt: string, expiresAt: string): Promise<void> {
    await this.database.db
      .updateTable('sessions')
      .set({ last_seen_at: lastSeenAt, expires_at: expiresAt })
      .where('id_hash', '=', hashSecret(secret))
      .execute();
  }

  async delete(secret: string): Promise<void> {
    await this.database.db.deleteFrom('sessions').where('id_hash', '=', hashSecret(secret)).execute();
  }

  /** Signs an account out everywhere (disabled account, changed password). */
  async deleteForAccount(accountId: string): Promise<void> {
    await this.database.db.deleteFrom('sessions').where('account_id', '=', accountId).execute();
  }

  async deleteExpired(now: string): Promise<number> {
    const result = await this.database.db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
