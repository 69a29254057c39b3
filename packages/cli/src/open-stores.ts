import {
  createStores,
  defaultSqlitePath,
  migrateToLatest,
  openDatabase,
  readEnvironment,
  type Stores,
} from '@ordo/server';

/**
 * Opens the database the command works on: `--db`, else `DATABASE_URL`, else the embedded SQLite
 * file `.ordo/ordo.sqlite`; brings its schema up to date.
 */
export async function openStores(db: string | undefined): Promise<Stores> {
  const database = await openDatabase({ url: databaseUrlFor(db) });
  await migrateToLatest(database);
  return createStores(database);
}

/** The database a command works on: `--db`, else `DATABASE_URL`, else the embedded SQLite file. */
export function databaseUrlFor(db: string | undefined): string {
  return db ?? readEnvironment().databaseUrl ?? defaultSqlitePath;
}

export async function withStores<T>(db: string | undefined, fn: (stores: Stores) => Promise<T>): Promise<T> {
  const stores = await openStores(db);
  try {
    return await fn(stores);
  } finally {
    await stores.database.close();
  }
}
