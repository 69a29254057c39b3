import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BulkTable, upsertTable } from '../../src/storage/bulk-write.ts';
import { type Database, openDatabase } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate-to-latest.ts';
import { sqliteInsertEach } from '../../src/storage/sqlite-bulk.ts';
import { StorageError } from '../../src/storage/storage-error.ts';
import { createStores } from '../../src/storage/stores.ts';
import { ledgerEntry, person, singleRole } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'ordo-sqlite-bulk-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Wide enough (16 columns → 64 rows per multi-row run) to exercise both the multi-row and single-row statements. */
const wide: BulkTable = upsertTable(
  'wide',
  'id',
  Array.from({ length: 16 }, (_, i) => ({ name: i === 0 ? 'id' : `c${i}`, type: i % 2 ? 'integer' : 'text' })),
);

describe('SQLite bulk writes', () => {
  let database: Database;
  beforeEach(async () => {
    database = await openDatabase({ url: join(dir, `bulk-${++files}.sqlite`) });
    await migrateToLatest(database);
  });
  afterEach(async () => {
    await database.close();
  });

  it('exposes the one better-sqlite3 connection on the handle and its transactions', async () => {
    expect(database.sqlite).toBeDefined();
    expect(database.sqlite?.inTransaction).toBe(false);
    await database.transaction(async (tx) => {
      expect(tx.sqlite).toBe(database.sqlite);
      expect(tx.sqlite?.inTransaction).toBe(true);
    });
  });

  it('runs raw statements inside the Kysely transaction: seen by it, rolled back with it', async () => {
    const failed = database.transaction(async (tx) => {
      tx.sqlite
        ?.prepare('insert into resources (id, entity_type, key, values_json) values (?, ?, ?, ?)')
        .run('raw-1', 'Person', 'R1', '{}');
      const seen = await tx.db.selectFrom('resources').select('id').where('id', '=', 'raw-1').execute();
      expect(seen).toEqual([{ id: 'raw-1' }]);
      throw new Error('use case failed');
    });
    await expect(failed).rejects.toThrow('use case failed');
    expect(await database.db.selectFrom('resources').select('id').execute()).toEqual([]);
  });

  it('rolls back every bulk store write with the caller’s transaction', async () => {
    const stores = createStores(database);
    const failed = stores.transaction(async (tx) => {
      await tx.resources.upsertMany([person(1, { links: { manager: ['p000002'] } })], { dirty: true });
      await tx.assignments.saveChanges({ upserts: [singleRole('p000001', 'R')], deletes: [] });
      await tx.ledger.append(Array.from({ length: 200 }, () => ledgerEntry()));
      await tx.resources.clearDirty(['p000001']);
      throw new Error('use case failed');
    });
    await expect(failed).rejects.toThrow('use case failed');
    expect(await stores.resources.count('Person')).toBe(0);
    expect(await stores.assignments.isEmpty()).toBe(true);
    expect(await stores.ledger.byOwner('p000001')).toEqual([]);
    expect(await database.db.selectFrom('resource_links').selectAll().execute()).toEqual([]);
  });

  it('writes every row across multi-row and single-row runs; a repeated key ends with its last row', async () => {
    database.sqlite?.exec(
      `create table wide (id text primary key, ${wide.columns
        .slice(1)
        .map((c) => `${c.name} ${c.type}`)
        .join(', ')})`,
    );
    const row = (id: string, n: number) =>
      wide.columns.map((c, i) => (i === 0 ? id : i % 2 ? n + i : `${c.name}-${n}`));
    // 130 rows: two runs of 64 rows, then 2 single rows. `k3` is repeated within the first run,
    // `k5` is written in the first run and again by the last single row.
    const rows = Array.from({ length: 129 }, (_, n) => (n === 10 ? row('k3', 500) : row(`k${n}`, n)));
    rows.push(row('k5', 999));
    await database.transaction(async (tx) => {
      if (!tx.sqlite) throw new Error('expected SQLite');
      sqliteInsertEach(tx.sqlite, wide, rows);
    });
    const stored = database.sqlite?.prepare('select * from wide order by id').raw().all() as unknown[][];
    expect(stored.length).toBe(128);
    const byId = new Map(stored.map((r) => [r[0], r]));
    expect(byId.get('k128')).toEqual(row('k128', 128));
    expect(byId.get('k64')).toEqual(row('k64', 64));
    expect(byId.get('k5')).toEqual(row('k5', 999));
    expect(byId.get('k3')).toEqual(row('k3', 500));
    expect(byId.has('k10')).toBe(false);
  });

  it('refuses a bulk write outside a transaction, with a stable code', () => {
    const sqlite = database.sqlite;
    if (!sqlite) throw new Error('expected SQLite');
    const error = (() => {
      try {
        sqliteInsertEach(sqlite, wide, []);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe('STORAGE_BULK_OUTSIDE_TRANSACTION');
    expect((error as StorageError).message).toContain('wide');
  });
});
