import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The machine's PostgreSQL (trust auth on loopback, DESIGN.md §5). */
export const postgresServer = 'postgres://postgres@127.0.0.1:5432';

/** A SQLite file in a fresh temp folder, removed at the end even when the run fails. */
export async function withSqliteFile<T>(prefix: string, fn: (path: string) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(join(tmpdir(), `${prefix}-sqlite-`));
  try {
    return await fn(join(folder, 'bench.sqlite'));
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** A fresh PostgreSQL database per run, dropped at the end even when the run fails. */
export async function withPostgresDatabase<T>(prefix: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `${prefix.replace(/\W/g, '_')}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${postgresServer}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      return await fn(`${postgresServer}/${name}`);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}
