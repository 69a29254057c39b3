import { CompiledQuery, type Kysely } from 'kysely';
import type { BulkColumn, BulkRow, BulkTable } from './bulk-write.ts';
import { chunked } from './chunked.ts';

/*
 * The PostgreSQL bulk path: one array parameter per column, expanded by unnest() on the server.
 * The statement text depends only on the table, not on the number of rows, so there is no
 * parameter limit to chunk around and the server parses one small statement per call instead
 * of a VALUES list of tens of thousands of placeholders.
 */

/**
 * Rows per statement. Not a parameter limit (there is none here) but a bound on the size of the
 * array literals held in memory at once.
 */
const rowsPerStatement = 20_000;

/** `INSERT INTO t (…) SELECT * FROM unnest($1::text[], …)`, with the table's conflict clause. */
export function postgresInsertSql(table: BulkTable): string {
  const names = table.columns.map((c) => c.name);
  const arrays = table.columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  const insert = `insert into ${table.name} (${names.join(', ')}) select * from unnest(${arrays})`;
  const conflict = table.onConflict;
  if (!conflict) return insert;
  if (conflict.replace.length === 0) return `${insert} on conflict (${conflict.key}) do nothing`;
  const set = conflict.replace.map((c) => `${c} = excluded.${c}`).join(', ');
  return `${insert} on conflict (${conflict.key}) do update set ${set}`;
}

export async function postgresInsertUnnest(db: Kysely<any>, table: BulkTable, rows: readonly BulkRow[]): Promise<void> {
  await runTransposed(db, postgresInsertSql(table), table.columns.length, rows);
}

export async function postgresUpdateFromUnnest(
  db: Kysely<any>,
  table: BulkTable,
  keyColumn: BulkColumn,
  rows: readonly BulkRow[],
): Promise<void> {
  const columns = [...table.columns, keyColumn];
  const arrays = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  const names = columns.map((_, i) => `c${i}`);
  const set = table.columns.map((c, i) => `${c.name} = v.c${i}`).join(', ');
  const sql = `update ${table.name} as t set ${set} from unnest(${arrays}) as v(${names.join(', ')}) where t.${keyColumn.name} = v.${names[names.length - 1]}`;
  await runTransposed(db, sql, columns.length, rows);
}

/** Runs `sql` once per chunk of rows, with the rows transposed into one array per column: what unnest() takes. */
async function runTransposed(db: Kysely<any>, sql: string, width: number, rows: readonly BulkRow[]): Promise<void> {
  for (const chunk of chunked(rows, rowsPerStatement)) {
    const columns: unknown[][] = Array.from({ length: width }, () => new Array(chunk.length));
    for (let r = 0; r < chunk.length; r++) {
      const row = chunk[r] as BulkRow;
      for (let c = 0; c < width; c++) (columns[c] as unknown[])[r] = row[c];
    }
    await db.executeQuery(CompiledQuery.raw(sql, columns));
  }
}

export async function postgresDeleteWhereIn(
  db: Kysely<any>,
  table: string,
  keyColumn: string,
  keys: readonly string[],
): Promise<void> {
  const sql = `delete from ${table} where ${keyColumn} = any($1::text[])`;
  for (const chunk of chunked(keys, rowsPerStatement)) await db.executeQuery(CompiledQuery.raw(sql, [chunk]));
}

export async function postgresSetWhereIn(
  db: Kysely<any>,
  table: string,
  column: string,
  value: number,
  keyColumn: string,
  keys: readonly string[],
): Promise<void> {
  // `is distinct from` skips rows already holding the value, so they are not rewritten.
  const sql = `update ${table} set ${column} = $1 where ${keyColumn} = any($2::text[]) and ${column} is distinct from $1`;
  for (const chunk of chunked(keys, rowsPerStatement)) await db.executeQuery(CompiledQuery.raw(sql, [value, chunk]));
}
