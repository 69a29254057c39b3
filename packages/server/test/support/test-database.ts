import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate-to-latest.ts';

export type TestDialect = 'sqlite' | 'postgres';

/** The machine's PostgreSQL (DESIGN.md §5); each test database gets its own schema in it. */
export const postgresTestUrl = process.env.ORDO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A fresh, migrated database: a SQLite file in a temp folder, or a new PostgreSQL schema that
 * `close` drops again.
 */
export async function openTestDatabase(dialect: TestDialect): Promise<Database & { readonly url: string }> {
  if (dialect === 'sqlite') {
    const url = join(mkdtempSync(join(tmpdir(), 'ordo-api-')), 'ordo.sqlite');
    const database = await openDatabase({ url });
    await migrateToLatest(database);
    return Object.assign(database, { url });
  }
  const schema = `ordo_t_${randomBytes(5).toString('hex')}`;
  const database = await openDatabase({ url: postgresTestUrl, schema });
  await migrateToLatest(database);
  const close = database.close.bind(database);
  return Object.assign(database, {
    url: postgresTestUrl,
    schema,
    async close() {
      await close();
      await dropPostgresSchema(schema);
    },
  });
}

export async function dropPostgresSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresTestUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
