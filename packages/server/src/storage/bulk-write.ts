import type { Database } from './database.ts';
import {
  postgresDeleteWhereIn,
  postgresInsertUnnest,
  postgresSetWhereIn,
  postgresUpdateFromUnnest,
} from './postgres-bulk.ts';
import { sqliteDeleteEach, sqliteInsertEach, sqliteSetEach, sqliteUpdateEach } from './sqlite-bulk.ts';

/** A column written in bulk, with the type PostgreSQL needs to read it from an array parameter. */
export interface BulkColumn {
  readonly name: string;
  readonly type: 'text' | 'integer';
}

/** A table written in bulk: its columns in the order of the rows' values. */
export interface BulkTable {
  readonly name: string;
  readonly columns: readonly BulkColumn[];
  /**
   * Upsert on the unique column `key`, replacing the `replace` columns of an existing row; absent,
   * rows are plainly inserted (a duplicate key fails the call).
   */
  readonly onConflict?: { readonly key: string; readonly replace: readonly string[] };
}

/**
 * One row's values, positionally in the order of `BulkTable.columns`. Arrays rather than objects:
 * no property names to build per row, and the shape both drivers bind directly.
 */
export type BulkRow = readonly unknown[];

/**
 * Describes a table whose rows upsert on `key` and replace every other column: the common case,
 * so that the column list is written once.
 */
export function upsertTable(name: string, key: string, columns: readonly BulkColumn[]): BulkTable {
  return {
    name,
    columns,
    onConflict: { key, replace: columns.map((c) => c.name).filter((c) => c !== key) },
  };
}

/*
 * Each call runs in a transaction, the caller's when there is one: on SQLite the raw connection
 * is only safe to use while a Kysely transaction holds it, and a loop of statements is
 * only fast inside one.
 */

/** Inserts (or upserts, per `table.onConflict`) every row. */
export async function bulkInsert(database: Database, table: BulkTable, rows: readonly BulkRow[]): Promise<void> {
  if (rows.length === 0) return;
  await database.transaction(async (tx) => {
    if (tx.sqlite) sqliteInsertEach(tx.sqlite, table, rows);
    else await postgresInsertUnnest(tx.db, table, rows);
  });
}

/** Deletes the rows whose `keyColumn` is one of `keys`. */
export async function bulkDelete(
  database: Database,
  table: string,
  keyColumn: string,
  keys: readonly string[],
): Promise<void> {
  if (keys.length === 0) return;
  await database.transaction(async (tx) => {
    if (tx.sqlite) sqliteDeleteEach(tx.sqlite, table, keyColumn, keys);
    else await postgresDeleteWhereIn(tx.db, table, keyColumn, keys);
  });
}

/**
 * Sets `column` to `value` on the rows whose `keyColumn` is one of `keys`. Rows that already hold
 * the value are left alone, so that clearing flags that are mostly clear writes next to nothing.
 */
export async function bulkSet(
  database: Database,
  table: string,
  column: string,
  value: number,
  keyColumn: string,
  keys: readonly string[],
): Promise<void> {
  if (keys.length === 0) return;
  await database.transaction(async (tx) => {
    if (tx.sqlite) sqliteSetEach(tx.sqlite, table, column, value, keyColumn, keys);
    else await postgresSetWhereIn(tx.db, table, column, value, keyColumn, keys);
  });
}

/**
 * Updates existing rows, each to its own values: a row is the values of `table.columns` followed
 * by its key (the value of `keyColumn`). Keys without a row are skipped. `table.onConflict` is
 * not used.
 */
export async function bulkUpdate(
  database: Database,
  table: BulkTable,
  keyColumn: BulkColumn,
  rows: readonly BulkRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await database.transaction(async (tx) => {
    if (tx.sqlite) sqliteUpdateEach(tx.sqlite, table, keyColumn, rows);
    else await postgresUpdateFromUnnest(tx.db, table, keyColumn, rows);
  });
}
