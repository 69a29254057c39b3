import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Stores } from '../../src/storage/stores.ts';

/**
 * A hash of everything a refused request must not change: every table but the ones that record
 * the attempt itself (session last-seen times, token last-used times, the sign-in throttle, and
 * sign-in audit lines).
 */
const recordsOfAttempts = new Set([
  'sessions',
  'api_tokens',
  'login_throttle',
  'kysely_migration',
  'kysely_migration_lock',
]);

/** Only ever appended to: their row count tells whether anything was written. */
const appendOnly = new Set(['order_ledger', 'job_logs', 'request_decisions']);

export async function stateFingerprint(stores: Stores): Promise<string> {
  const db = stores.database.db;
  const tables = (await db.introspection.getTables()).map((t) => t.name).filter((t) => !recordsOfAttempts.has(t));
  const hash = createHash('sha256');
  for (const table of tables.sort()) {
    const rows =
      table === 'audit_log'
        ? await sql`select count(*) as n from audit_log where action not like 'session.%'`.execute(db)
        : appendOnly.has(table)
          ? await sql`select count(*) as n from ${sql.table(table)}`.execute(db)
          : await sql`select * from ${sql.table(table)}`.execute(db);
    const lines = rows.rows.map((r) => JSON.stringify(r)).sort();
    hash.update(`${table}:${lines.length}\n${lines.join('\n')}\n`);
  }
  return hash.digest('hex');
}
