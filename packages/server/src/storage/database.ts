import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase, { type Database as SqliteConnection } from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { StorageSchema } from './schema.ts';
import { StorageError } from './storage-error.ts';

export type DialectName = 'sqlite' | 'postgres';

/**
 * An open database. Stores take one of these; inside `transaction` they receive one bound to the
 * transaction, so a use case can run several stores atomically with the same store code.
 */
export interface Database {
  /** The Kysely instance (a transaction inside `transaction`). */
  readonly db: Kysely<StorageSchema>;
  readonly dialect: DialectName;
  /** PostgreSQL schema the tables live in, when not the default one. */
  readonly schema: string | undefined;
  /** True when this handle is bound to a running transaction. */
  readonly inTransaction: boolean;
  /**
   * SQLite only: the better-sqlite3 connection under Kysely, for bulk writes with prepared
   * statements. Kysely runs SQLite on this one connection, so statements run on it inside
   * `transaction` belong to that transaction. Use it only there: outside, Kysely's connection lock
   * is not held and a statement could slip into another caller's transaction.
   */
  readonly sqlite: SqliteConnection | undefined;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Called
   * on a handle that is already in a transaction, it joins that transaction.
   */
  transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T>;
  /** Releases the connection(s). The handle is unusable afterwards. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /**
   * `postgres://…` / `postgresql://…` for PostgreSQL; otherwise a SQLite file path (an optional
   * `sqlite:` or `file:` prefix is accepted) or `:memory:`. Defaults to `defaultPath`.
   */
  readonly url?: string;
  /** SQLite file used when no url is given. */
  readonly defaultPath?: string;
  /** PostgreSQL only: keep Ordo's tables in this schema (set as the connections' search_path). */
  readonly schema?: string;
  /** PostgreSQL only: pool size. */
  readonly maxConnections?: number;
}

export const defaultSqlitePath = '.ordo/ordo.sqlite';

/** Opens SQLite (default, embedded) or PostgreSQL (production, scale-out) behind one interface. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const url = options.url ?? options.defaultPath ?? defaultSqlitePath;
  if (/^postgres(ql)?:\/\//i.test(url)) return openPostgres(url, options);
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(url)) {
    throw new StorageError(
      'STORAGE_URL_UNSUPPORTED',
      `Cannot open database "${redact(url)}": only postgres:// or postgresql:// URLs and SQLite file paths are supported.`,
    );
  }
  return openSqlite(url.replace(/^(sqlite|file):/i, ''));
}

function openSqlite(path: string): Database {
  if (path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  // WAL lets readers run while one writer writes; NORMAL is durable at WAL checkpoints and far
  // faster than FULL; busy_timeout makes a second process wait for the lock instead of failing.
  if (path !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('temp_store = MEMORY');
  // A 128 MiB page cache (the default is 2 MiB) keeps the indexes of millions of assignment rows in
  // memory while a complete computation writes them; checkpoints every ~40 MiB of WAL, not 4 MiB.
  sqlite.pragma('cache_size = -131072');
  if (path !== ':memory:') sqlite.pragma('wal_autocheckpoint = 10000');
  const db = new Kysely<StorageSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  return wrap(db, 'sqlite', undefined, sqlite);
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Database> {
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) {
    throw new StorageError(
      'STORAGE_URL_UNSUPPORTED',
      `Cannot use PostgreSQL schema "${options.schema}": use lower-case letters, digits and underscores.`,
    );
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  const db = new Kysely<StorageSchema>({ dialect: new PostgresDialect({ pool }) });
  return wrap(db, 'postgres', options.schema, undefined);
}

function wrap(
  db: Kysely<StorageSchema>,
  dialect: DialectName,
  schema: string | undefined,
  sqlite: SqliteConnection | undefined,
): Database {
  const handle: Database = {
    db,
    dialect,
    schema,
    inTransaction: false,
    sqlite,
    transaction: (fn) => db.transaction().execute((trx) => fn(bound(trx, handle))),
    close: () => db.destroy(),
  };
  return handle;
}

function bound(trx: Kysely<StorageSchema>, root: Database): Database {
  const handle: Database = {
    db: trx,
    dialect: root.dialect,
    schema: root.schema,
    inTransaction: true,
    sqlite: root.sqlite,
    transaction: (fn) => fn(handle),
    close: () => root.close(),
  };
  return handle;
}

/** Hides a password in a URL before it reaches a message. */
function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
