import { describe, expect, it } from 'vitest';
import { fromColumnValue, normaliseDate, sameValue, toColumnValue } from '../../src/sql/sql-values.ts';

describe('SQL value conversion', () => {
  it.each([
    ['2024-05-01', '2024-05-01'],
    ['2024-05-01 10:00:00.123456+00', '2024-05-01T10:00:00.123Z'],
    ['2024-05-01 10:00:00+05:30', '2024-05-01T04:30:00.000Z'],
    ['2024-05-01T10:00:00-0200', '2024-05-01T12:00:00.000Z'],
    ['2024-05-01 10:00:00.5', '2024-05-01T10:00:00.500Z'],
    ['2024-05-01T10:00Z', '2024-05-01T10:00:00.000Z'],
    ['not a date', 'not a date'],
  ])('normalises the date %j to %j', (text, iso) => {
    expect(normaliseDate(text)).toBe(iso);
  });

  it('writes booleans as each engine stores them, and reads any spelling back as a boolean', () => {
    expect(toColumnValue('postgres', 'bool', true, 'p')).toBe('true');
    expect(toColumnValue('mysql', 'bool', false, 'p')).toBe(0);
    expect(toColumnValue('sqlite', 'bool', 'yes', 'p')).toBe(1);
    expect(() => toColumnValue('sqlite', 'bool', 2, 'p')).toThrow(/not a boolean/);
    for (const value of [1, '1', 't', 'true', true, Buffer.from([1])])
      expect(fromColumnValue('bool', value, 'p')).toBe(true);
    for (const value of [0, '0', 'f', 'false', false, Buffer.from([0])])
      expect(fromColumnValue('bool', value, 'p')).toBe(false);
  });

  it('sends MariaDB timestamps as UTC wall time, and leaves other dialects and dates alone', () => {
    expect(toColumnValue('mysql', 'date', '2024-05-01T10:00:00.250+02:00', 'p')).toBe('2024-05-01 08:00:00.250');
    expect(toColumnValue('mysql', 'date', '2024-05-01', 'p')).toBe('2024-05-01');
    expect(toColumnValue('postgres', 'date', '2024-05-01T10:00:00Z', 'p')).toBe('2024-05-01T10:00:00Z');
  });

  it('reads integers from numbers, big-number strings and bigints, and refuses non-integers on write', () => {
    expect(fromColumnValue('int', '9007199254740991', 'p')).toBe(9007199254740991);
    expect(fromColumnValue('int', 42n, 'p')).toBe(42);
    expect(() => toColumnValue('postgres', 'int', 1.5, 'p')).toThrow(/not an integer/);
    expect(toColumnValue('postgres', 'int', '7', 'p')).toBe(7);
  });

  it('compares values of a type by meaning, not spelling', () => {
    expect(sameValue('bool', true, 'true')).toBe(true);
    expect(sameValue('int', 7, '7')).toBe(true);
    expect(sameValue('date', '2024-05-01T10:00:00Z', '2024-05-01T12:00:00.000+02:00')).toBe(true);
    expect(sameValue('string', 'a', 'A')).toBe(false);
    expect(sameValue('string', null, '')).toBe(false);
  });
});
