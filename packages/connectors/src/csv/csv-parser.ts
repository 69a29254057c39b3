/** One record of a CSV text: its cells, and the physical line it starts on (1-based). */
export interface CsvRecord {
  readonly line: number;
  readonly cells: string[];
}

/** A place where the text breaks RFC 4180 so badly that its cells cannot be trusted. */
export interface CsvSyntaxError {
  readonly line: number;
  readonly message: string;
}

export interface CsvParseResult {
  readonly records: CsvRecord[];
  readonly errors: CsvSyntaxError[];
}

export interface CsvParseOptions {
  /** One character; `,` by default. */
  readonly delimiter?: string;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const BOM = 0xfeff;

/**
 * Parses CSV text as RFC 4180 describes it, with the leniency real HR exports need: LF or CR
 * line ends as well as CRLF, any one-character delimiter, a leading byte order mark dropped,
 * blank lines skipped, and a quote inside an unquoted field kept as a character. Quoted fields may
 * hold delimiters, doubled quotes and line breaks. Text after a closing quote and a quote never
 * closed are reported as errors with their line, since the cells after them would be guesses.
 *
 * Hand-written rather than a dependency: it is small, and it must keep line numbers for the
 * refusal messages.
 */
export function parseCsv(text: string, options: CsvParseOptions = {}): CsvParseResult {
  const records: CsvRecord[] = [];
  const errors = forEachCsvRecord(text, options, (cells, line) => {
    records.push({ line, cells });
  });
  return { records, errors };
}

/**
 * Parses like {@link parseCsv} but hands each record over as it is read instead of keeping them
 * all, so that a large file's cells can die young. Returns the syntax errors.
 */
export function forEachCsvRecord(
  text: string,
  options: CsvParseOptions,
  visit: (cells: string[], line: number) => void,
): CsvSyntaxError[] {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
    throw new RangeError(
      `a CSV delimiter is one character other than a quote or a line break, not ${JSON.stringify(delimiter)}`,
    );
  }
  const delim = delimiter.charCodeAt(0);
  const errors: CsvSyntaxError[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === BOM ? 1 : 0;
  let line = 1;
  // Where the next line feed, carriage return and quote are: found once, then reused while ahead.
  let nextLineFeed = -1;
  let nextReturn = -1;
  let nextQuote = -1;

  while (i < n) {
    const first = text.charCodeAt(i);
    if (first === LF || first === CR) {
      i += first === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line += 1;
      continue;
    }
    // Fast path, for the usual line without quotes: let the native split cut it.
    if (nextLineFeed < i) nextLineFeed = indexOrEnd(text, '\n', i);
    if (nextReturn < i) nextReturn = indexOrEnd(text, '\r', i);
    if (nextQuote < i) nextQuote = indexOrEnd(text, '"', i);
    const lineEnd = nextLineFeed < n && text.charCodeAt(nextLineFeed - 1) === CR ? nextLineFeed - 1 : nextLineFeed;
    if (nextQuote >= nextLineFeed && nextReturn >= lineEnd) {
      visit(text.slice(i, lineEnd).split(delimiter), line);
      i = nextLineFeed + 1;
      line += 1;
      continue;
    }
    const startLine = line;
    const cells: string[] = [];
    for (;;) {
      let value: string;
      if (i < n && text.charCodeAt(i) === QUOTE) {
        const fieldLine = line;
        value = '';
        let from = i + 1;
        for (;;) {
          const quote = text.indexOf('"', from);
          if (quote === -1) {
            errors.push({ line: fieldLine, message: 'a quoted field is never closed' });
            value += text.slice(from);
            line += countLineBreaks(text, from, n);
            i = n;
            break;
          }
          value += text.slice(from, quote);
          line += countLineBreaks(text, from, quote);
          if (text.charCodeAt(quote + 1) === QUOTE) {
            value += '"';
            from = quote + 2;
            continue;
          }
          i = quote + 1;
          break;
        }
        if (i < n && !isFieldEnd(text.charCodeAt(i), delim)) {
          errors.push({ line, message: 'text after the closing quote of a quoted field' });
          const end = fieldEnd(text, i, delim);
          value += text.slice(i, end);
          i = end;
        }
      } else {
        const end = fieldEnd(text, i, delim);
        value = text.slice(i, end);
        i = end;
      }
      cells.push(value);
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === delim) {
        i += 1;
        if (i >= n) {
          cells.push('');
          break;
        }
        continue;
      }
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line += 1;
      break;
    }
    visit(cells, startLine);
  }
  return errors;
}

function indexOrEnd(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from);
  return index === -1 ? text.length : index;
}

function isFieldEnd(c: number, delim: number): boolean {
  return c === delim || c === CR || c === LF;
}

function fieldEnd(text: string, from: number, delim: number): number {
  const n = text.length;
  let j = from;
  while (j < n && !isFieldEnd(text.charCodeAt(j), delim)) j += 1;
  return j;
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let j = from; j < to; j += 1) {
    const c = text.charCodeAt(j);
    if (c === LF) count += 1;
    else if (c === CR && (j + 1 >= to || text.charCodeAt(j + 1) !== LF)) count += 1;
  }
  return count;
}

/** One field as RFC 4180 writes it: quoted, with quotes doubled, when it holds anything special. */
export function formatCsvField(value: string, delimiter = ','): string {
  const special = value.includes(delimiter) || /["\r\n]/.test(value) || value !== value.trim();
  return special ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One record with its CRLF line end. */
export function formatCsvRecord(cells: readonly string[], delimiter = ','): string {
  return `${cells.map((cell) => formatCsvField(cell, delimiter)).join(delimiter)}\r\n`;
}
