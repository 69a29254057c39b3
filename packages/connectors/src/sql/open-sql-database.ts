import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, MysqlDialect, PostgresDialect, SqliteDialect } from 'kysely';
import { createPool } from 'mysql2';
import pg from 'pg';
import type { SqlSettings } from './sql-settings.ts';

/**
 * Tables and columns come from configuration, so the database type is open: every table is a
 * record of unknown column values, and the connector converts what it reads.
 */
export type SqlDatabase = Record<string, Record<string, unknown>>;

/** Called with the SQL text of every query (never the parameters, which may hold values). */
export type SqlQueryListener = (sql: string) => void;

/** PostgreSQL type oids of date, timestamp and timestamptz. */
const dateTypeOids = new Set([1082, 1114, 1184]);

/**
 * Opens a Kysely instance on the configured database. Nothing connects here: pools connect on
 * first use, so a down server shows up as a classified error of the first operation.
 *
 * Sessions run in UTC and date/time columns arrive as text, so that timestamps keep their full
 * precision (an incremental cookie must compare exactly) and `date` columns do not shift with the
 * machine's time zone.
 */
export function openSqlDatabase(settings: SqlSettings, onQuery?: SqlQueryListener): Kysely<SqlDatabase> {
  const log = onQuery
    ? (event: { query: { sql: string } }) => {
        onQuery(event.query.sql);
      }
    : undefined;
  return new Kysely<SqlDatabase>({ dialect: dialectFor(settings), ...(log ? { log } : {}) });
}

function dialectFor(settings: SqlSettings) {
  switch (settings.dialect) {
    case 'postgres': {
      const pool = new pg.Pool({
        connectionString: withPassword(settings.url ?? '', settings.password),
        max: settings.poolSize,
        connectionTimeoutMillis: settings.connectTimeoutMs,
        types: {
          getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
            dateTypeOids.has(oid)
              ? (text: string) => text
              : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
        },
      });
      // A client whose server went away emits 'error' (idle ones on the pool, checked-out ones on
      // themselves, after the failed query has already rejected); unhandled, it would end the process.
      pool.on('error', () => {});
      pool.on('connect', (client) => {
        client.on('error', () => {});
      });
      return new PostgresDialect({
        pool,
        onCreateConnection: async (connection) => {
          await connection.executeQuery(CompiledQuery.raw("SET TIME ZONE 'UTC'"));
          // Date columns arrive as text, so their text must be ISO whatever the server's default.
          await connection.executeQuery(CompiledQuery.raw("SET datestyle = 'ISO, YMD'"));
        },
      });
    }
    case 'mysql': {
      const pool = createPool({
        uri: settings.url ?? '',
        ...(settings.password === null ? {} : { password: settings.password }),
        connectionLimit: settings.poolSize,
        connectTimeout: settings.connectTimeoutMs,
        dateStrings: true,
        timezone: 'Z',
        supportBigNumbers: true,
        bigNumberStrings: true,
        // Affected rows must count changed rows, not matched ones: "changed" depends on it.
        flags: ['-FOUND_ROWS'],
      });
      return new MysqlDialect({
        pool,
        onCreateConnection: async (connection) => {
          await connection.executeQuery(CompiledQuery.raw("SET time_zone = '+00:00'"));
        },
      });
    }
    case 'sqlite': {
      const path = settings.path ?? '';
      return new SqliteDialect({
        // Opened lazily, and only if the file exists: a mistyped path must not create an empty database.
        database: async () => {
          const database = openSqliteFile(path, settings.connectTimeoutMs);
          database.pragma('foreign_keys = ON');
          return database;
        },
      });
    }
  }
}

/** better-sqlite3 reports a missing directory as a TypeError; it is the same case as a missing file. */
function openSqliteFile(path: string, timeout: number): Database.Database {
  try {
    return new Database(path, { fileMustExist: true, timeout });
  } catch (error) {
    if (error instanceof TypeError) {
      throw Object.assign(new Error(error.message, { cause: error }), { code: 'SQLITE_CANTOPEN' });
    }
    throw error;
  }
}

/** The password setting wins over one written in the URL; pg would let the URL's win. */
function withPassword(url: string, password: string | null): string {
  if (password === null) return url;
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}
