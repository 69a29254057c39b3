import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate-to-latest.ts';
import { ResourceStore } from '../../src/storage/resource-store.ts';
import { StorageError } from '../../src/storage/storage-error.ts';
import { person } from './fixtures.ts';
import { storageContract } from './storage-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'ordo-storage-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freshSqlite() {
  const database = await openDatabase({ url: join(dir, `test-${++files}.sqlite`) });
  await migrateToLatest(database);
  return database;
}

storageContract('SQLite', freshSqlite);

describe('SQLite specifics', () => {
  it('sets the pragmas for speed and safety', async () => {
    const database = await freshSqlite();
    try {
      const { sql } = await import('kysely');
      const pragma = async (name: string) =>
        Object.values((await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(database.db)).rows[0] ?? {})[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('synchronous')).toBe(1);
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('busy_timeout')).toBe(5000);
    } finally {
      await database.close();
    }
  });

  it('creates the default path folders and accepts :memory: and a sqlite: prefix', async () => {
    const nested = join(dir, 'a', 'b', 'ordo.sqlite');
    const onDisk = await openDatabase({ defaultPath: nested });
    expect(onDisk.dialect).toBe('sqlite');
    await migrateToLatest(onDisk);
    await onDisk.close();
    const reopened = await openDatabase({ url: `sqlite:${nested}` });
    expect(await migrateToLatest(reopened)).toEqual([]);
    await reopened.close();
    const memory = await openDatabase({ url: ':memory:' });
    expect(await migrateToLatest(memory)).toEqual([
      '0001_initial',
      '0002_fulfilment',
      '0003_api',
      '0004_reconciliation',
    ]);
    await memory.close();
  });

  it('refuses an unsupported URL with a stable code and no password in the message', async () => {
    const error = await openDatabase({ url: 'mysql://root:secret@127.0.0.1/ordo' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe('STORAGE_URL_UNSUPPORTED');
    expect((error as StorageError).message).not.toContain('secret');
  });

  it('upserts 100,000 resources with their links in one call (its speed is for bench:compute)', async () => {
    const database = await freshSqlite();
    try {
      const store = new ResourceStore(database);
      const many = Array.from({ length: 100_000 }, (_, i) => person(i, { links: { manager: ['p000000'] } }));
      await store.upsertMany(many);
      expect(await store.count('Person')).toBe(100_000);
      expect((await store.get('p099999'))?.links).toEqual({ manager: ['p000000'] });
    } finally {
      await database.close();
    }
  }, 60_000);
});
