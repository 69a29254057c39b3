import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate-to-latest.ts';
import { storageContract } from './storage-contract.ts';

/**
 * Runs the storage contract on PostgreSQL, in a database created for this run and dropped at the
 * end; each test gets its own schema in it. Unreachable PostgreSQL fails the run under CI=true
 * and skips it elsewhere, with the reason printed.
 */
const adminUrl = process.env.ORDO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseName = `ordo_test_${randomBytes(6).toString('hex')}`;
const testUrl = (() => {
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
})();

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const unreachable = await admin((client) => client.query(`create database ${databaseName}`)).then(
  () => undefined,
  (error: unknown) => (error instanceof Error ? error.message : String(error)),
);

if (unreachable !== undefined) {
  const reason = `PostgreSQL at ${adminUrl.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')} is unreachable (${unreachable}). Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`;
  if (process.env.CI === 'true') throw new Error(`Storage contract on PostgreSQL cannot run: ${reason}`);
  console.warn(`Skipping the storage contract on PostgreSQL: ${reason}`);
  describe.skip(`storage contract on PostgreSQL (skipped: ${reason})`, () => {
    it('runs when PostgreSQL is reachable', () => {});
  });
} else {
  const opened: Database[] = [];
  let schemas = 0;
  afterAll(async () => {
    // Tests close their handles; this catches one left open by a failed set-up.
    await Promise.allSettled(opened.map((d) => d.close()));
    await admin((client) => client.query(`drop database if exists ${databaseName} with (force)`));
  });

  storageContract('PostgreSQL', async () => {
    const database = await openDatabase({ url: testUrl, schema: `t${++schemas}` });
    opened.push(database);
    await migrateToLatest(database);
    return database;
  });

  describe('PostgreSQL specifics', () => {
    it('keeps each schema separate, migration bookkeeping included', async () => {
      const a = await openDatabase({ url: testUrl, schema: 'iso_a' });
      const b = await openDatabase({ url: testUrl, schema: 'iso_b' });
      opened.push(a, b);
      expect(await migrateToLatest(a)).toEqual(['0001_initial', '0002_fulfilment', '0003_api', '0004_reconciliation']);
      expect(await migrateToLatest(b)).toEqual(['0001_initial', '0002_fulfilment', '0003_api', '0004_reconciliation']);
      expect(await migrateToLatest(a)).toEqual([]);
      await a.db
        .insertInto('generation_runs')
        .values({
          id: 'x',
          started_at: 't',
          finished_at: null,
          blocked_at: null,
          resumed_at: null,
          resumed_by: null,
          status: 'running',
          verdicts: '[]',
          counts: '{}',
        })
        .execute();
      expect(await b.db.selectFrom('generation_runs').selectAll().execute()).toEqual([]);
      await a.close();
      await b.close();
    });
  });
}
