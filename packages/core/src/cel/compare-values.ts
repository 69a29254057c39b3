import type { ComparisonType } from '../model.ts';
import { removeDiacritics, simplify } from './remove-diacritics.ts';

/**
 * Phonetic key for the "approximate" comparison (reference spec §5.3): the simplified form with
 * Usercube's equivalences Z/S, Y/I, W/V, K/C, SS/C, optional H, optional trailing T/D/S, and
 * doubled letters collapsed except SS.
 */
export function approximateKey(text: string): string {
  let key = simplify(text);
  // `ss` is protected first so that the doubled-letter collapse cannot turn it into `s`, then it
  // becomes `c` (SS/C); a single z becomes s afterwards, so `zz` → `ss` collapses to `s`, not `c`.
  key = key.replace(/ss/g, 'c');
  key = key.replace(/y/g, 'i').replace(/w/g, 'v').replace(/k/g, 'c').replace(/h/g, '');
  key = key.replace(/z/g, 's');
  key = key.replace(/(\p{L})\1+/gu, '$1');
  if (key.length > 1) key = key.replace(/[tds]$/, '');
  return key;
}

/**
 * Whether two scalar values are equal under a rule's comparison type (reference spec §5.3
 * ComparisonType). Used to decide if a synced value conforms to the computed one. Non-string
 * values (numbers, booleans, null) are compared strictly whatever the comparison type.
 */
export function valuesEqual(a: unknown, b: unknown, comparison: ComparisonType): boolean {
  if (a === b) return true;
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  switch (comparison) {
    case 'case_sensitive':
      return false;
    case 'ignore_case':
      return a.toLowerCase() === b.toLowerCase();
    case 'ignore_diacritics':
      return removeDiacritics(a) === removeDiacritics(b);
    case 'simplified':
      return simplify(a) === simplify(b);
    case 'approximate':
      return approximateKey(a) === approximateKey(b);
  }
}
