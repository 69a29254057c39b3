import type { ScalarType, ScalarValue } from '@ordo/core';
import type { ObjectState } from '../connector.ts';
import { CsvFileError, type CsvProblem } from './csv-file-error.ts';
import { forEachCsvRecord } from './csv-parser.ts';
import type { CsvMapping } from './csv-settings.ts';
import { decodeCsvBytes } from './decode-csv-bytes.ts';
import { CellRefusal, parseCell, parseLinkCell } from './parse-cell.ts';

/** A CSV file read as one entity type's objects, in file order. */
export interface CsvTable {
  readonly objects: readonly ObjectState[];
  /** Key → index in `objects`. */
  readonly byKey: ReadonlyMap<string, number>;
}

export interface CsvFormat {
  readonly encoding: string;
  readonly delimiter: string;
  readonly mapping: CsvMapping;
}

/** More problems than this are counted, not kept: a file with the wrong delimiter has one per line. */
const keptProblems = 1000;

/**
 * Reads a whole CSV file into objects, or refuses it whole: every problem found (bad bytes, a
 * missing header or column, ragged rows, empty or duplicate keys, values of the wrong type) is
 * collected with its line, and one {@link CsvFileError} lists them. Nothing is returned from a
 * file with any problem, so a half-read file can never be synchronized.
 *
 * @param subject names the file in the error message (`connection HrCsv: file /x/hr.csv`).
 */
export function readCsvTable(bytes: Uint8Array, format: CsvFormat, subject: string): CsvTable {
  const decoded = decodeCsvBytes(bytes, format.encoding);
  if ('problems' in decoded) {
    throw new CsvFileError(subject, decoded.problems.slice(0, keptProblems), decoded.problems.length);
  }
  const reader = new TableReader(format.mapping);
  const errors = forEachCsvRecord(decoded.text, { delimiter: format.delimiter }, (cells, line) =>
    reader.record(cells, line),
  );
  for (const error of errors) reader.report({ code: 'syntax', line: error.line, message: error.message });
  return reader.finish(subject);
}

/** Builds the table record by record, as the parser hands them over, collecting every problem. */
class TableReader {
  private readonly problems: CsvProblem[] = [];
  private problemCount = 0;
  private names: string[] | null = null;
  private keyIndex = -1;
  private readonly readers: ColumnReader[] = [];
  // Every row's values and links start as copies of one template, so that they share one shape.
  private readonly valueTemplate: Record<string, ScalarValue> = {};
  private readonly linkTemplate: Record<string, string[]> = {};
  private readonly objects: ObjectState[] = [];
  /** Line of each object, for duplicate keys. */
  private readonly lines: number[] = [];
  private readonly byKey = new Map<string, number>();

  constructor(private readonly mapping: CsvMapping) {}

  report(problem: CsvProblem): void {
    this.problemCount += 1;
    if (this.problems.length < keptProblems) this.problems.push(problem);
  }

  record(cells: string[], line: number): void {
    if (this.names === null) this.header(cells, line);
    else this.row(cells, line, this.names.length);
  }

  finish(subject: string): CsvTable {
    if (this.names === null) {
      this.report({ code: 'missing_header', line: 1, message: 'the file is empty: it has no header line' });
    }
    if (this.problemCount > 0) {
      // In file order, whatever order the checks found them in.
      const sorted = this.problems.sort((a, b) => a.line - b.line);
      throw new CsvFileError(subject, sorted, this.problemCount);
    }
    return { objects: this.objects, byKey: this.byKey };
  }

  private header(cells: string[], line: number): void {
    const { mapping } = this;
    const names = cells.map((cell) => cell.trim());
    this.names = names;
    const positions = new Map<string, number>();
    const position = (column: string): number => {
      const known = positions.get(column);
      if (known !== undefined) return known;
      const index = names.indexOf(column);
      positions.set(column, index);
      const again = index === -1 ? -1 : names.indexOf(column, index + 1);
      if (again !== -1) {
        const message = `column "${column}" appears twice in the header (columns ${index + 1} and ${again + 1})`;
        this.report({ code: 'duplicate_column', line, column, message });
      }
      return index;
    };
    this.keyIndex = position(mapping.keyColumn);
    if (this.keyIndex === -1) {
      this.report({
        code: 'missing_column',
        line,
        column: mapping.keyColumn,
        message: `the key column "${mapping.keyColumn}" is missing from the header (${describeHeader(names)})`,
      });
    }
    const reported = new Set([mapping.keyColumn]);
    for (const column of mapping.columns) {
      const index = position(column.column);
      if (index !== -1) {
        const type = column.kind === 'scalar' ? column.type : column.multiValued ? 'links' : 'link';
        this.readers.push({ property: column.property, column: column.column, index, type });
        if (column.kind === 'scalar') this.valueTemplate[column.property] = null;
        else this.linkTemplate[column.property] = [];
      } else if (!reported.has(column.column)) {
        reported.add(column.column);
        this.report({
          code: 'missing_column',
          line,
          column: column.column,
          message: `the column "${column.column}" (property ${column.property}) is missing from the header (${describeHeader(names)})`,
        });
      }
    }
  }

  /**
   * A row with problems still takes its key, so that a later duplicate is reported against it;
   * its object is thrown away with the file.
   */
  private row(cells: string[], line: number, width: number): void {
    const { mapping } = this;
    if (cells.length !== width) {
      const counted = `${cells.length} ${cells.length === 1 ? 'cell' : 'cells'}`;
      this.report({ code: 'ragged_row', line, message: `has ${counted}, the header has ${width}` });
      return;
    }
    const key = this.keyIndex === -1 ? '' : (cells[this.keyIndex] as string).trim();
    if (this.keyIndex !== -1 && key === '') {
      const message = `the key "${mapping.keyColumn}" is empty`;
      this.report({ code: 'empty_key', line, column: mapping.keyColumn, message });
    }
    const values = { ...this.valueTemplate };
    const links = { ...this.linkTemplate };
    for (const reader of this.readers) {
      const cell = cells[reader.index] as string;
      if (reader.type === 'link' || reader.type === 'links') {
        links[reader.property] = parseLinkCell(cell, reader.type === 'links');
        continue;
      }
      const value = parseCell(reader.type, cell);
      if (!(value instanceof CellRefusal)) values[reader.property] = value;
      else {
        this.report({
          code: 'bad_value',
          line,
          column: reader.column,
          message: `${quote(cell)} in column ${reader.index + 1} "${reader.column}" ${value.reason}`,
        });
      }
    }
    if (key === '') return;
    const seen = this.byKey.get(key);
    if (seen !== undefined) {
      const firstLine = this.lines[seen] as number;
      this.report({
        code: 'duplicate_key',
        line,
        column: mapping.keyColumn,
        firstLine,
        message: `duplicate key ${quote(key)}, already on line ${firstLine}`,
      });
      return;
    }
    this.byKey.set(key, this.objects.length);
    this.lines.push(line);
    this.objects.push({ entityType: mapping.entityType, key, values, links });
  }
}

/** Reads one mapped column; the same shape for every type keeps the row loop fast. */
interface ColumnReader {
  readonly property: string;
  readonly column: string;
  readonly index: number;
  readonly type: ScalarType | 'link' | 'links';
}

function describeHeader(names: readonly string[]): string {
  const shown = names.slice(0, 12).map((name) => JSON.stringify(name));
  return `it has ${shown.join(', ')}${names.length > 12 ? `, … (${names.length} columns)` : ''}`;
}

/** A cell quoted for a message, cut short so one odd cell cannot flood the log. */
function quote(cell: string): string {
  return JSON.stringify(cell.length > 40 ? `${cell.slice(0, 40)}…` : cell);
}
