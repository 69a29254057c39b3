import { sameValue } from '../engine/evaluate/same-value.ts';
import type { ObjectState } from './object-operations.ts';
import type { Expectation } from './work-item.ts';

export type Verification =
  | { readonly verified: true }
  | { readonly verified: false; readonly mismatches: readonly string[] };

/**
 * Compares what a system holds with what an order wrote (DESIGN.md §2, decision 4). Values
 * compare with their rule's comparison type; link keys compare ignoring case and spaces after
 * separators, because directories normalise DNs (`CN=Staff, OU=…` is `cn=staff,ou=…`).
 */
export function verifyReadBack(expectation: Expectation, found: ObjectState | null): Verification {
  if (!expectation.exists) {
    return found === null
      ? { verified: true }
      : { verified: false, mismatches: [`expected no object, found ${found.key}`] };
  }
  if (found === null) return { verified: false, mismatches: ['expected the object to exist, found none'] };
  const mismatches: string[] = [];
  for (const [property, { value, comparison }] of Object.entries(expectation.values)) {
    const actual = found.values[property];
    if (!sameValue(value, actual, comparison)) {
      mismatches.push(`expected ${property} = ${show(value)}, found ${show(actual)}`);
    }
  }
  for (const [property, keys] of Object.entries(expectation.linksPresent)) {
    const actual = new Set((found.links[property] ?? []).map(normaliseKey));
    for (const key of keys) {
      if (!actual.has(normaliseKey(key))) mismatches.push(`expected ${property} to include ${key}, it does not`);
    }
  }
  for (const [property, keys] of Object.entries(expectation.linksAbsent)) {
    const actual = new Set((found.links[property] ?? []).map(normaliseKey));
    for (const key of keys) {
      if (actual.has(normaliseKey(key))) mismatches.push(`expected ${property} not to include ${key}, it still does`);
    }
  }
  return mismatches.length === 0 ? { verified: true } : { verified: false, mismatches };
}

export function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/\s*([,=+])\s*/g, '$1');
}

function show(value: unknown): string {
  return value === undefined || value === null ? '(empty)' : JSON.stringify(value);
}
