import { describe, expect, it } from 'vitest';
import { CellRefusal, parseCell, parseLinkCell } from '../../src/csv/parse-cell.ts';

const value = (type: Parameters<typeof parseCell>[0], cell: string) => {
  const result = parseCell(type, cell);
  return result instanceof CellRefusal ? `refused: ${result.reason}` : result;
};

describe('parseCell', () => {
  it('reads an empty cell as null whatever the type', () => {
    for (const type of ['string', 'int', 'bool', 'date'] as const) expect(value(type, '')).toBeNull();
  });

  it('keeps text as written, spaces included', () => {
    expect(value('string', ' Ada ')).toBe(' Ada ');
    expect(value('string', '0042')).toBe('0042');
  });

  it('reads integers and refuses anything else', () => {
    expect(value('int', '42')).toBe(42);
    expect(value('int', ' -7 ')).toBe(-7);
    expect(value('int', '+3')).toBe(3);
    for (const bad of ['4.5', '1e3', '12b', 'abc', '0x10', '-', '9007199254740993']) {
      expect(value('int', bad), bad).toMatch(/^refused/);
    }
  });

  it('reads booleans as true/false, 1/0 and yes/no in any case', () => {
    for (const yes of ['true', 'TRUE', '1', 'yes', ' Yes ']) expect(value('bool', yes), yes).toBe(true);
    for (const no of ['false', 'False', '0', 'no', 'NO']) expect(value('bool', no), no).toBe(false);
    for (const bad of ['y', 'n', 'on', '2', 'vrai']) expect(value('bool', bad), bad).toMatch(/^refused/);
  });

  it('reads ISO 8601 dates and date-times, refusing other formats and impossible dates', () => {
    for (const good of [
      '2024-03-31',
      '2024-02-29',
      '2000-02-29',
      '2024-03-31T08:30',
      '2024-03-31T08:30:15',
      '2024-03-31T08:30:15.123Z',
      '2024-03-31T08:30:15+02:00',
    ]) {
      expect(value('date', good), good).toBe(good);
    }
    expect(value('date', ' 2024-03-31 ')).toBe('2024-03-31');
    for (const bad of [
      '31/03/2024',
      '2024-3-31',
      '2024-13-01',
      '2023-02-29',
      '1900-02-29',
      '2024-04-31',
      '2024-03-31 08:30',
      '2024-03-31T25:00',
      '2024-03-31T08:60',
      'tomorrow',
    ]) {
      expect(value('date', bad), bad).toMatch(/^refused: is not an ISO 8601 date/);
    }
  });
});

describe('parseLinkCell', () => {
  it('reads one key for a single-valued navigation, even with a pipe in it', () => {
    expect(parseLinkCell(' E1 ', false)).toEqual(['E1']);
    expect(parseLinkCell('a|b', false)).toEqual(['a|b']);
    expect(parseLinkCell('', false)).toEqual([]);
  });

  it('splits a multi-valued cell on pipes, dropping blanks and repeats', () => {
    expect(parseLinkCell('staff| admins ||staff', true)).toEqual(['staff', 'admins']);
    expect(parseLinkCell('', true)).toEqual([]);
  });
});
