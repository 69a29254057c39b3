import type { ScalarType, ScalarValue } from '@ordo/core';
import type { SqlDialectName } from './sql-settings.ts';

/** A value as bound to a query parameter. */
export type ColumnValue = string | number | null;

/** Thrown when a value cannot be converted; the connector turns it into a `schema` ConnectorError. */
export class SqlValueError extends Error {
  override readonly name = 'SqlValueError';
}

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
const dateTime = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?(\.\d+)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Converts an Ordo value to what the dialect stores for the property's type. Booleans become 1/0
 * where the engine has no boolean (MariaDB's tinyint, SQLite's integers; better-sqlite3 cannot
 * even bind `true`); MariaDB refuses ISO timestamps with a zone, so they are sent as UTC wall time,
 * which is how the connector's sessions read them back.
 */
export function toColumnValue(
  dialect: SqlDialectName,
  type: ScalarType,
  value: ScalarValue,
  what: string,
): ColumnValue {
  if (value === null) return null;
  switch (type) {
    case 'bool': {
      const bool = asBoolean(value);
      if (bool === undefined) throw new SqlValueError(`${what}: ${describe(value)} is not a boolean`);
      // pg binds JS booleans as 'true'/'false', which PostgreSQL's boolean columns take as they are.
      return dialect === 'postgres' ? String(bool) : bool ? 1 : 0;
    }
    case 'int': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
        throw new SqlValueError(`${what}: ${describe(value)} is not an integer`);
      }
      return number;
    }
    case 'date': {
      if (typeof value !== 'string') throw new SqlValueError(`${what}: ${describe(value)} is not an ISO date`);
      if (dialect !== 'mysql' || dateOnly.test(value)) return value;
      const instant = Date.parse(value);
      // An unparsable text goes through unchanged: the database's own error names the column.
      return Number.isNaN(instant) ? value : new Date(instant).toISOString().replace('T', ' ').replace('Z', '');
    }
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

/** Converts a column's value to the property's type, so that `read` returns what was written. */
export function fromColumnValue(type: ScalarType, value: unknown, what: string): ScalarValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'bool': {
      const bool = asBoolean(value);
      if (bool === undefined) throw new SqlValueError(`${what}: ${describe(value)} is not a boolean`);
      return bool;
    }
    case 'int': {
      const number = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isFinite(number)) {
        throw new SqlValueError(`${what}: ${describe(value)} is not a number`);
      }
      return number;
    }
    case 'date':
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
      return normaliseDate(String(value));
    default:
      return textOf(value);
  }
}

/** Whether two values of the property's type are the same, whatever their spelling (`1`/`true`, offsets). */
export function sameValue(type: ScalarType, a: ScalarValue, b: ScalarValue): boolean {
  if (a === null || b === null) return a === b;
  switch (type) {
    case 'bool':
      return asBoolean(a) === asBoolean(b);
    case 'int':
      return Number(a) === Number(b);
    case 'date':
      return normaliseDate(String(a)) === normaliseDate(String(b));
    default:
      return String(a) === String(b);
  }
}

/** The key as Ordo carries it (a string), whatever the column's type. */
export function keyText(value: unknown): string {
  return textOf(value);
}

/**
 * A date-only value stays as it is; a timestamp becomes `toISOString()` form. Timestamps without a
 * zone are taken as UTC, the connector's session time zone.
 */
export function normaliseDate(text: string): string {
  if (dateOnly.test(text)) return text;
  const match = dateTime.exec(text);
  if (!match) return text;
  const [, day, minutes, seconds = ':00', fraction = '', zone = 'Z'] = match;
  const offset = /^[+-]\d{2}$/.test(zone)
    ? `${zone}:00`
    : /^[+-]\d{4}$/.test(zone)
      ? `${zone.slice(0, 3)}:${zone.slice(3)}`
      : zone;
  const instant = Date.parse(`${day}T${minutes}${seconds}${fraction.slice(0, 4)}${offset.toUpperCase()}`);
  return Number.isNaN(instant) ? text : new Date(instant).toISOString();
}

function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') {
    return value === 0 || value === 0n ? false : value === 1 || value === 1n ? true : undefined;
  }
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (['1', 't', 'true', 'y', 'yes'].includes(lower)) return true;
    if (['0', 'f', 'false', 'n', 'no'].includes(lower)) return false;
    return undefined;
  }
  // MariaDB BIT(1) columns arrive as a one-byte Buffer.
  if (value instanceof Uint8Array && value.length === 1) return value[0] !== 0;
  return undefined;
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return String(value);
}

/** For messages: the type and a short, bounded rendering of a value (values are not secrets). */
function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
