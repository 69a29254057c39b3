import { valuesEqual } from '../../cel/compare-values.ts';
import type { ComparisonType } from '../../model.ts';

/**
 * Whether the managed system's value conforms to the computed one under a scalar rule's comparison
 * type. Null, undefined and the empty string are all "no value", because most directories cannot
 * store an empty string; a number or boolean compares by its text with a synchronized string
 * (a CSV or LDAP export gives `"true"`, `"42"`).
 */
export function sameValue(computed: unknown, actual: unknown, comparison: ComparisonType): boolean {
  const a = text(computed);
  const b = text(actual);
  if (a === null || b === null) return a === b;
  return valuesEqual(a, b, comparison);
}

function text(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  return String(value);
}
