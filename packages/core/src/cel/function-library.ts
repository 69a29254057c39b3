import { formatDate } from './format-date.ts';
import { removeDiacritics, simplify } from './remove-diacritics.ts';
import { uniqueValue } from './unique-value.ts';

/**
 * One function of Ordo's CEL library. It is registered twice: with its precise CEL signature in
 * the checking environment (so `lower(identity.age)` is refused when the configuration is
 * checked) and with `dyn` parameters in the running environment, where a property may be null.
 */
export interface LibraryFunction {
  readonly name: string;
  /** CEL parameter types for checking; `A` is a type parameter (all `A` must agree). */
  readonly params: readonly string[];
  readonly returns: string;
  readonly description: string;
  /**
   * The implementation, on the values CEL passes (ints are bigint). When `nullIn` is true a null
   * first argument gives null without calling it: a missing value stays missing, so
   * `coalesce(lower(identity.nickname), lower(identity.firstName))` works.
   */
  readonly run: (...args: unknown[]) => unknown;
  readonly nullIn: boolean;
}

/**
 * The `taken` callback and `kept` value of the evaluation in progress. CEL function handlers receive only their
 * arguments, so `evaluate` sets this slot around the (synchronous) evaluation and clears it after.
 */
let currentUniqueness: Uniqueness = {};

interface Uniqueness {
  readonly taken?: (value: string) => boolean;
  readonly kept?: string | null;
}

/**
 * Runs `evaluation(argument)` with `taken` and `kept` visible to `unique()`; restores the previous
 * slot afterwards. The argument is passed through so that callers need no closure per evaluation.
 */
export function withTaken<A, T>(uniqueness: Uniqueness, evaluation: (argument: A) => T, argument: A): T {
  const previous = currentUniqueness;
  currentUniqueness = uniqueness;
  try {
    return evaluation(argument);
  } finally {
    currentUniqueness = previous;
  }
}

const text = (value: unknown, fn: string): string => {
  if (typeof value !== 'string') throw new Error(`${fn}: expected a string, got ${describe(value)}`);
  return value;
};
const integer = (value: unknown, fn: string): number => {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw new Error(`${fn}: expected an integer, got ${describe(value)}`);
};
const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : `${typeof value} ${String(value)}`;

const isEmpty = (value: unknown): boolean =>
  value === null ||
  value === undefined ||
  value === '' ||
  (Array.isArray(value) && value.length === 0) ||
  (value instanceof Set && value.size === 0);

const coalesce = (...values: unknown[]): unknown => values.find((value) => !isEmpty(value)) ?? null;

const coalesceOverloads: LibraryFunction[] = [2, 3, 4, 5].map((arity) => ({
  name: 'coalesce',
  params: Array.from({ length: arity }, () => 'A'),
  returns: 'A',
  description: 'First argument that is neither null nor empty (empty string or list); null when none.',
  run: coalesce,
  nullIn: false,
}));

/** Ordo's CEL function library (reference spec §5.4 "predefined functions"). */
export const FUNCTION_LIBRARY: readonly LibraryFunction[] = [
  {
    name: 'lower',
    params: ['string'],
    returns: 'string',
    description: 'Lower case.',
    run: (s) => text(s, 'lower').toLowerCase(),
    nullIn: true,
  },
  {
    name: 'upper',
    params: ['string'],
    returns: 'string',
    description: 'Upper case.',
    run: (s) => text(s, 'upper').toUpperCase(),
    nullIn: true,
  },
  {
    name: 'removeDiacritics',
    params: ['string'],
    returns: 'string',
    description: 'Removes accents and transliterates special letters (é → e, ß → ss).',
    run: (s) => removeDiacritics(text(s, 'removeDiacritics')),
    nullIn: true,
  },
  {
    name: 'simplify',
    params: ['string'],
    returns: 'string',
    description: 'Removes diacritics, lower-cases and keeps only letters and digits.',
    run: (s) => simplify(text(s, 'simplify')),
    nullIn: true,
  },
  {
    name: 'join',
    params: ['list<string>', 'string'],
    returns: 'string',
    description: 'Joins the non-empty items of a list with a separator.',
    run: (list, separator) => {
      if (!Array.isArray(list)) throw new Error(`join: expected a list, got ${describe(list)}`);
      return list.filter((item) => !isEmpty(item)).join(text(separator, 'join'));
    },
    nullIn: true,
  },
  {
    name: 'split',
    params: ['string', 'string'],
    returns: 'list<string>',
    description: 'Splits a string on a separator.',
    run: (s, separator) => text(s, 'split').split(text(separator, 'split')),
    nullIn: true,
  },
  {
    name: 'substring',
    params: ['string', 'int'],
    returns: 'string',
    description: 'Characters from start (0-based) to the end.',
    run: (s, start) => text(s, 'substring').substring(integer(start, 'substring')),
    nullIn: true,
  },
  {
    name: 'substring',
    params: ['string', 'int', 'int'],
    returns: 'string',
    description: 'Characters from start (0-based, included) to end (excluded); clamped to the string.',
    run: (s, start, end) => text(s, 'substring').substring(integer(start, 'substring'), integer(end, 'substring')),
    nullIn: true,
  },
  ...coalesceOverloads,
  {
    name: 'formatDate',
    params: ['string', 'string'],
    returns: 'string',
    description: 'Formats an ISO-8601 date with the tokens yyyy, MM, dd, HH, mm.',
    run: (iso, pattern) => formatDate(text(iso, 'formatDate'), text(pattern, 'formatDate')),
    nullIn: true,
  },
  {
    name: 'unique',
    params: ['string'],
    returns: 'string',
    description:
      'First of candidate, candidate2, candidate3... not already taken in the target system (the engine supplies the taken values).',
    run: (candidate) => uniqueValue(text(candidate, 'unique'), currentUniqueness.taken, currentUniqueness.kept ?? null),
    nullIn: true,
  },
];
