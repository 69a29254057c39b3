import {
  createStores,
  defaultSqlitePath,
  migrateToLatest,
  openDatabase,
  readEnvironment,
  type Stores,
} from '@ordo/server';

/** `--db-schema`, set once by main before a command runs; `ORDO_DB_SCHEMA` when absent. */
let schemaOption: string | undefined;

/** Called by main with the global `--db-schema` option before any command opens the database. */
export function selectDatabaseSchema(schema: string | undefined): void {
  schemaOption = schema;
}

/**
 * Opens the database the command works on: `--db`, else `DATABASE_URL`, else the embedded SQLite
 * file `.ordo/ordo.sqlite`; on PostgreSQL in the schema of `--db-schema` / `ORDO_DB_SCHEMA` when
 * given (created by the first migration). Brings its schema up to date: safe with several
 * processes starting at once (the migrator holds a PostgreSQL advisory lock).
 */
export async function openStores(db: string | undefined): Promise<Stores> {
  const schema = databaseSchemaFor(schemaOption);
  const database = await openDatabase({ url: databaseUrlFor(db), ...(schema ? { schema } : {}) });
  await migrateToLatest(database);
  return createStores(database);
}

/** The database a command works on: `--db`, else `DATABASE_URL`, else the embedded SQLite file. */
export function databaseUrlFor(db: string | undefined): string {
  return db ?? readEnvironment().databaseUrl ?? defaultSqlitePath;
}

/** The PostgreSQL schema a command works in: `--db-schema`, else `ORDO_DB_SCHEMA`, else the default. */
export function databaseSchemaFor(schema: string | undefined): string | undefined {
  return schema ?? readEnvironment().databaseSchema ?? undefined;
}

export async function withStores<T>(db: string | undefined, fn: (stores: Stores) => Promise<T>): Promise<T> {
  const stores = await openStores(db);
  try {
    return await fn(stores);
  } finally {
    await stores.database.close();
  }
}
