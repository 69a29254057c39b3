import { formatProblems } from './format.ts';

/**
 * Prints an error for a person (what, where, why) and returns the exit code. Known errors carry a
 * stable code; anything else is a bug and shows its stack.
 */
export function reportFailure(error: unknown): number {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    const problems = (error as { problems?: unknown }).problems;
    process.stderr.write(`ordo: ${error.message} [${error.code}]\n`);
    if (Array.isArray(problems) && problems.length && typeof problems[0] === 'object') {
      process.stderr.write(`${formatProblems(problems)}\n`);
    }
    return 1;
  }
  process.stderr.write(
    `ordo: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 2;
}
