import type { ScalarType, ScalarValue } from '@ordo/core';

/** Why a cell cannot be a value of its property's type. */
export class CellRefusal {
  constructor(readonly reason: string) {}
}

// Shared instances: a file of 50,000 rows parses without allocating one result per cell.
const notInteger = new CellRefusal('is not an integer');
const tooLarge = new CellRefusal('is too large for an integer');
const notBoolean = new CellRefusal('is not a boolean (true/false, 1/0, yes/no)');
const notDate = new CellRefusal('is not an ISO 8601 date (2024-03-31) or date-time');

const integer = /^[+-]?\d+$/;
const booleans = new Map<string, boolean>([
  ['true', true],
  ['false', false],
  ['1', true],
  ['0', false],
  ['yes', true],
  ['no', false],
]);
const isoDate = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))?)?$/;

/**
 * Reads one cell as a value of a scalar property type, or says why it cannot. An empty cell is
 * null whatever the type; numbers, booleans and dates ignore surrounding spaces, text keeps them.
 * Dates stay ISO 8601 text, as the engine handles them, but must be real calendar dates.
 */
export function parseCell(type: ScalarType, cell: string): ScalarValue | CellRefusal {
  if (cell === '') return null;
  switch (type) {
    case 'string':
      return cell;
    case 'int': {
      const trimmed = cell.trim();
      if (!integer.test(trimmed)) return notInteger;
      const value = Number(trimmed);
      return Number.isSafeInteger(value) ? value : tooLarge;
    }
    case 'bool':
      return booleans.get(cell.trim().toLowerCase()) ?? notBoolean;
    case 'date': {
      const trimmed = cell.trim();
      return isValidIsoDate(trimmed) ? trimmed : notDate;
    }
  }
}

function isValidIsoDate(text: string): boolean {
  const m = isoDate.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (m[4] === undefined) return true;
  const withinDay = Number(m[4]) <= 23 && Number(m[5]) <= 59 && Number(m[6] ?? 0) <= 59;
  return withinDay && Number(m[7] ?? 0) <= 23 && Number(m[8] ?? 0) <= 59;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Reads a navigation cell as the keys of the linked objects: one key, or several separated by
 * `|` for a multi-valued navigation. Surrounding spaces and empty entries are dropped.
 */
export function parseLinkCell(cell: string, multiValued: boolean): string[] {
  if (!multiValued || !cell.includes('|')) {
    const key = cell.trim();
    return key === '' ? [] : [key];
  }
  const keys: string[] = [];
  for (const part of cell.split('|')) {
    const key = part.trim();
    if (key !== '' && !keys.includes(key)) keys.push(key);
  }
  return keys;
}
