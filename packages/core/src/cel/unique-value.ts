/** How many suffixes `unique` tries before giving up (a safety net against a `taken` that always says yes). */
export const UNIQUE_MAX_ATTEMPTS = 10_000;

/** `jdoe` and `jdoe2`, `jdoe3`... are forms of the candidate `jdoe`; `jdoe1` and `jdoex` are not. */
function isFormOf(value: string, candidate: string): boolean {
  if (value === candidate) return true;
  if (!value.startsWith(candidate)) return false;
  const suffix = value.slice(candidate.length);
  return /^[1-9][0-9]*$/.test(suffix) && Number(suffix) >= 2;
}

/**
 * `kept` (the owner's previous value), when it is still a form of the candidate and free;
 * otherwise the first of `candidate`, `candidate2`, `candidate3`... for which `taken` is false; the candidate
 * itself when no `taken` is given. The engine supplies `taken` (ExpressionVariables.taken) with
 * the values already used in the target system and those it handed out earlier in the run.
 */
export function uniqueValue(
  candidate: string,
  taken: ((value: string) => boolean) | undefined,
  kept: string | null = null,
): string {
  if (kept !== null && isFormOf(kept, candidate) && !taken?.(kept)) return kept;
  if (!taken?.(candidate)) return candidate;
  for (let n = 2; n <= UNIQUE_MAX_ATTEMPTS; n++) {
    const value = `${candidate}${n}`;
    if (!taken(value)) return value;
  }
  throw new Error(`unique: no free value for "${candidate}" after ${UNIQUE_MAX_ATTEMPTS} attempts`);
}
