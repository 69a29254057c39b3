import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsvField, formatCsvRecord, parseCsv } from '../../src/csv/csv-parser.ts';

const cells = (text: string, delimiter?: string) =>
  parseCsv(text, delimiter === undefined ? {} : { delimiter }).records.map((r) => r.cells);
const lines = (text: string) => parseCsv(text).records.map((r) => r.line);

describe('parseCsv', () => {
  it('splits plain fields and records on LF and CRLF alike', () => {
    expect(cells('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(cells('a,b,c\r\n1,2,3\r\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(cells('a,b\r\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(cells('a\rb\r')).toEqual([['a'], ['b']]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(cells(',a,,\n')).toEqual([['', 'a', '', '']]);
    expect(cells('a,')).toEqual([['a', '']]);
  });

  it('reads quoted fields with delimiters, doubled quotes and line breaks inside', () => {
    expect(cells('"Doe, John","say ""hi""",""\n')).toEqual([['Doe, John', 'say "hi"', '']]);
    expect(cells('"line one\r\nline two",x\n"a\nb"\n')).toEqual([['line one\r\nline two', 'x'], ['a\nb']]);
  });

  it('numbers each record by the physical line it starts on', () => {
    expect(lines('h\n"a\nb\nc"\nnext\n\n\nlast\r\n')).toEqual([1, 2, 5, 8]);
    expect(lines('h\r\n"x\r\ny"\r\nz')).toEqual([1, 2, 4]);
  });

  it('drops a byte order mark and skips blank lines', () => {
    expect(cells('\uFEFFid,name\n\n1,Ada\n\r\n')).toEqual([
      ['id', 'name'],
      ['1', 'Ada'],
    ]);
  });

  it('uses another delimiter when told, leaving commas alone', () => {
    expect(cells('id;name\n1;"Doe; John, Jr"\n2;a,b\n', ';')).toEqual([
      ['id', 'name'],
      ['1', 'Doe; John, Jr'],
      ['2', 'a,b'],
    ]);
    expect(cells('a\tb\n', '\t')).toEqual([['a', 'b']]);
  });

  it('keeps a quote inside an unquoted field as a character', () => {
    const result = parseCsv('a,5" disk,b\n');
    expect(result.records[0]?.cells).toEqual(['a', '5" disk', 'b']);
    expect(result.errors).toEqual([]);
  });

  it('reports text after a closing quote and a quote never closed, with their lines', () => {
    expect(parseCsv('h\n"ab"c,d\n').errors).toEqual([
      { line: 2, message: 'text after the closing quote of a quoted field' },
    ]);
    const open = parseCsv('h\nok\n"never\nclosed,x\n');
    expect(open.errors).toEqual([{ line: 3, message: 'a quoted field is never closed' }]);
    expect(open.records.at(-1)?.cells).toEqual(['never\nclosed,x\n']);
  });

  it('refuses a delimiter that cannot work', () => {
    expect(() => parseCsv('a', { delimiter: '"' })).toThrow(RangeError);
    expect(() => parseCsv('a', { delimiter: ';;' })).toThrow(RangeError);
  });

  it('parses 50,000 rows', () => {
    const rows = ['id,name,mail'];
    for (let i = 0; i < 50_000; i += 1) rows.push(`E${i},"Name, ${i}",n${i}@example.org`);
    const { records, errors } = parseCsv(rows.join('\r\n'));
    expect(errors).toEqual([]);
    expect(records).toHaveLength(50_001);
    expect(records[50_000]).toEqual({ line: 50_001, cells: ['E49999', 'Name, 49999', 'n49999@example.org'] });
  });
});

describe('formatCsvRecord', () => {
  it('quotes only the fields that need it, and ends with CRLF', () => {
    expect(formatCsvRecord(['a', 'b,c', 'say "hi"', 'x\ny', ' pad', ''])).toBe(
      'a,"b,c","say ""hi""","x\ny"," pad",\r\n',
    );
    expect(formatCsvField('a;b', ';')).toBe('"a;b"');
    expect(formatCsvField('a,b', ';')).toBe('a,b');
  });

  it('round-trips any cells through parseCsv', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', ';', '"', '\r', '\n', 'é', '|') });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(',', ';'),
        (rows, delimiter) => {
          // A record of one empty cell is a blank line, which the parser skips by design.
          const kept = rows.filter((row) => !(row.length === 1 && row[0] === ''));
          const text = kept.map((row) => formatCsvRecord(row, delimiter)).join('');
          const parsed = parseCsv(text, { delimiter });
          expect(parsed.errors).toEqual([]);
          expect(parsed.records.map((r) => r.cells)).toEqual(kept);
        },
      ),
      { numRuns: 300 },
    );
  });
});
