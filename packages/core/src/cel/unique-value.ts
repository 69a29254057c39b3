/** How many suffixes `unique` tries before giving up (a safety net against a `taken` that always says yes). */
export const UNIQUE_MAX_ATTEMPTS = 10_000;

/**
 * First of `candidate`, `candidate2`, `candidate3`... for which `taken` is false; the candidate
 * itself when no `taken` is given. The engine supplies `taken` (ExpressionVariables.taken) with
 * the values already used in the target system and those it handed out earlier in the run.
 */
export function uniqueValue(candidate: string, taken: ((value: string) => boolean) | undefined): string {
  if (!taken || !taken(candidate)) return candidate;
  for (let n = 2; n <= UNIQUE_MAX_ATTEMPTS; n++) {
    const value = `${candidate}${n}`;
    if (!taken(value)) return value;
  }
  throw new Error(`unique: no free value for "${candidate}" after ${UNIQUE_MAX_ATTEMPTS} attempts`);
}
