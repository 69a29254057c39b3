import type { CsvProblem } from './csv-file-error.ts';

export type DecodedCsv = { readonly text: string } | { readonly problems: CsvProblem[] };

/**
 * Decodes a file strictly: a byte sequence that is not valid in `encoding` refuses the file
 * instead of becoming U+FFFD, since a mangled name would flow on into every target system.
 * A leading byte order mark is dropped. `encoding` must be a label TextDecoder knows.
 */
export function decodeCsvBytes(bytes: Uint8Array, encoding: string): DecodedCsv {
  try {
    return { text: new TextDecoder(encoding, { fatal: true }).decode(bytes) };
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return { problems: locateBadBytes(bytes, encoding) };
  }
}

/**
 * The slow path, for refused files only: decodes line by line to name each line that holds bad
 * bytes. Splitting after a line feed never cuts a valid character, because no multi-byte sequence
 * of an ASCII-compatible encoding (nor a UTF-16 code unit) contains that line feed.
 */
function locateBadBytes(bytes: Uint8Array, encoding: string): CsvProblem[] {
  const canonical = new TextDecoder(encoding).encoding;
  const unit = canonical === 'utf-16le' || canonical === 'utf-16be' ? 2 : 1;
  const lineFeed = canonical === 'utf-16be' ? [0x00, 0x0a] : [0x0a, 0x00];
  const problems: CsvProblem[] = [];
  let decoder = new TextDecoder(encoding, { fatal: true });
  let line = 1;
  let start = 0;
  const check = (end: number, last: boolean): void => {
    try {
      decoder.decode(bytes.subarray(start, end), { stream: !last });
    } catch {
      problems.push({ code: 'encoding', line, message: `holds bytes that are not valid ${canonical}` });
      decoder = new TextDecoder(encoding, { fatal: true });
    }
  };
  for (let i = 0; i + unit <= bytes.length; i += unit) {
    const isLineFeed = unit === 1 ? bytes[i] === 0x0a : bytes[i] === lineFeed[0] && bytes[i + 1] === lineFeed[1];
    if (!isLineFeed) continue;
    check(i + unit, false);
    start = i + unit;
    line += 1;
    // Once UTF-16 goes wrong, later lines may be misaligned: the first bad line is the reliable one.
    if (unit === 2 && problems.length > 0) return problems;
  }
  check(bytes.length, true);
  if (problems.length === 0) {
    problems.push({ code: 'encoding', line, message: `is not valid ${canonical}` });
  }
  return problems;
}
