import { ConnectorError, type ConnectorErrorDetails } from '../connector-error.ts';

/** What is wrong with one place of a refused CSV file. */
export type CsvProblemCode =
  | 'encoding'
  | 'syntax'
  | 'missing_header'
  | 'duplicate_column'
  | 'missing_column'
  | 'ragged_row'
  | 'empty_key'
  | 'duplicate_key'
  | 'bad_value';

/** One reason a CSV file is refused, located by physical line (1-based; the header is line 1). */
export interface CsvProblem {
  readonly code: CsvProblemCode;
  readonly line: number;
  /** The header name of the column concerned, when there is one. */
  readonly column?: string;
  /** For `duplicate_key`: the line where the key appeared first. */
  readonly firstLine?: number;
  /** A sentence without the line number, e.g. `"12b" in column 3 "age" is not an integer`. */
  readonly message: string;
}

/** How many problems the message lists; the `problems` array keeps more. */
export const listedProblems = 50;

/**
 * A CSV file refused as a whole (kind `schema`, nothing applied): the message lists its problems
 * with line numbers, and `problems` holds them for a UI. Nothing of a refused file is delivered.
 */
export class CsvFileError extends ConnectorError {
  /** The problems found, in file order (at most the first {@link CsvFileError.problemCount} kept). */
  readonly problems: readonly CsvProblem[];
  /** Every problem found, including those not kept in `problems`. */
  readonly problemCount: number;

  constructor(subject: string, problems: readonly CsvProblem[], problemCount = problems.length) {
    super(describe(subject, problems, problemCount), { kind: 'schema', applied: 'no', retryable: false });
    this.name = 'CsvFileError';
    this.problems = problems;
    this.problemCount = problemCount;
  }

  override toJSON(): ConnectorErrorDetails & {
    message: string;
    problems: readonly CsvProblem[];
    problemCount: number;
  } {
    return { ...super.toJSON(), problems: this.problems.slice(0, listedProblems), problemCount: this.problemCount };
  }
}

function describe(subject: string, problems: readonly CsvProblem[], count: number): string {
  const lines = problems.slice(0, listedProblems).map((p) => `- line ${p.line}: ${p.message}`);
  const more = count - lines.length;
  if (more > 0) lines.push(`- … and ${more} more`);
  return `${subject} is refused (${count} ${count === 1 ? 'problem' : 'problems'}), nothing was read:\n${lines.join('\n')}`;
}
