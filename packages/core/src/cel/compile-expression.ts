import { type Expression, ExpressionError, type ExpressionVariables, type SourceLocation } from '../expression.ts';
import { AssignmentView, celEnvironments } from './cel-environments.ts';
import type { ExpressionScope } from './expression-scope.ts';
import { withTaken } from './function-library.ts';

/** A compiled expression and the CEL type of its result (`string`, `bool`, `int`, `dyn`...). */
export type CompileResult =
  | { readonly ok: true; readonly expression: Expression; readonly type: string }
  | { readonly ok: false; readonly message: string };

interface CelError {
  readonly summary?: string;
  readonly message: string;
  readonly range?: { readonly start: number; readonly end: number };
}

/**
 * Parses and type-checks a CEL expression against a scope, once; the result is evaluated many
 * times. A failure message says what is wrong and where in the expression (`at character N`).
 * The caller (the configuration compiler) adds the file, line and YAML path.
 */
export function compileExpression(source: string, location: SourceLocation, scope: ExpressionScope): CompileResult {
  const environments = celEnvironments(scope);
  const checked = environments.check.check(source);
  if (!checked.valid) return { ok: false, message: explain(source, checked.error as CelError | undefined, scope) };

  let run: ReturnType<typeof environments.run.parse>;
  try {
    run = environments.run.parse(source);
    // Checking once in the run environment stores the types on the tree, so later evaluations
    // skip checking.
    const runChecked = run.check();
    if (!runChecked.valid) return { ok: false, message: explain(source, runChecked.error as CelError, scope) };
  } catch (error) {
    return { ok: false, message: explain(source, error as CelError, scope) };
  }

  const { identity, resource } = environments.views;
  const expression: Expression = {
    source,
    location,
    evaluate(variables: ExpressionVariables): unknown {
      try {
        // One object literal with the declared variables only, so that every context has one shape.
        const assignment = variables.assignment ? new AssignmentView(variables.assignment) : NO_ASSIGNMENT;
        const now = variables.now ?? null;
        const context = identity
          ? resource
            ? {
                assignment,
                now,
                identity: variables.identity ? identity(variables.identity) : null,
                resource: variables.resource ? resource(variables.resource) : null,
              }
            : { assignment, now, identity: variables.identity ? identity(variables.identity) : null }
          : resource
            ? { assignment, now, resource: variables.resource ? resource(variables.resource) : null }
            : { assignment, now };
        return toPlain(withTaken(variables, run, context));
      } catch (error) {
        throw new ExpressionError(source, location, runtimeMessage(error));
      }
    },
  };
  const frozen = Object.freeze(expression);
  // `unique()` reads the `taken` and `kept` variables, which are not part of the key.
  if (!source.includes('unique')) resultKeys.set(frozen, `${environments.key}\u0000${source}`);
  return { ok: true, expression: frozen, type: checked.type ?? 'dyn' };
}

const resultKeys = new WeakMap<Expression, string>();

/** The dates of an evaluation without an assignment (both null); views are never written to. */
const NO_ASSIGNMENT = new AssignmentView(undefined);

/**
 * A key that two expressions share exactly when they give the same result for the same
 * `identity`, `resource`, `assignment` and `now` (same text, same typed scope), whatever `taken`
 * and `kept` are; null for expressions that call `unique()` or were not compiled here. It lets the
 * engine evaluate once the same rule repeated across resource types for one identity.
 */
export function expressionResultKey(expression: Expression): string | null {
  return resultKeys.get(expression) ?? null;
}

function runtimeMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'summary' in error && typeof error.summary === 'string') {
    return error.summary;
  }
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
}

const KNOWN_VARIABLES = 'identity, resource, assignment, now';

/** Rewrites cel-js's terse messages into ones that name the entity type and the known properties. */
function explain(source: string, error: CelError | undefined, scope: ExpressionScope): string {
  if (!error) return 'invalid expression';
  const summary = error.summary ?? error.message.split('\n')[0] ?? error.message;
  const at = error.range ? ` at character ${error.range.start + 1}` : '';
  const unknownKey = /^No such key: (.+)$/.exec(summary);
  if (unknownKey && error.range) {
    const owner = /(identity|resource|assignment)\s*\.\s*$/.exec(source.slice(0, error.range.start))?.[1];
    if (owner === 'identity' || owner === 'resource') {
      const shape = scope[owner];
      const known = shape ? Object.keys(shape.fields).join(', ') : '';
      return `${owner} (${shape?.entityType}) has no property "${unknownKey[1]}"${at} (known: ${known})`;
    }
    if (owner === 'assignment') return `assignment has no field "${unknownKey[1]}"${at} (known: start, end)`;
  }
  const unknownVariable = /^Unknown variable: (.+)$/.exec(summary);
  if (unknownVariable) {
    const declared = ['identity', 'resource'].filter((v) => scope[v as 'identity' | 'resource']);
    return `unknown variable "${unknownVariable[1]}"${at}: this expression may use ${[...declared, 'assignment', 'now'].join(', ')} (variables in Ordo: ${KNOWN_VARIABLES})`;
  }
  return `${summary}${at}`;
}

/** CEL values to plain JavaScript: ints become numbers, lists arrays, maps objects. */
function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Set) return [...value].map(toPlain);
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([key, item]) => [String(key), toPlain(item)]));
  }
  if (typeof (value as { hasValue?: unknown }).hasValue === 'function') {
    // cel-js Optional: an absent optional is a missing value.
    const optional = value as { hasValue(): boolean; value(): unknown };
    return optional.hasValue() ? toPlain(optional.value()) : null;
  }
  return value;
}
