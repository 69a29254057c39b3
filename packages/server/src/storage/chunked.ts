import type { DialectName } from './database.ts';

/**
 * Bound parameters one statement may carry: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32766 since
 * 3.32) and PostgreSQL's wire-protocol limit (65535). Bulk operations split their input to stay
 * under them.
 */
export const maxParameters: Readonly<Record<DialectName, number>> = { sqlite: 32766, postgres: 65535 };

/** Rows of `columns` parameters each that fit in one statement (leaving room for a few extras). */
export function rowsPerStatement(dialect: DialectName, columns: number): number {
  return Math.max(1, Math.floor((maxParameters[dialect] - 16) / columns));
}

/** Splits `items` into slices of at most `size` elements. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
