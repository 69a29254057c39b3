import { Environment } from '@marcbachmann/cel-js';
import type { EntityShape, ExpressionScope, FieldType } from './expression-scope.ts';
import { FUNCTION_LIBRARY } from './function-library.ts';

/**
 * Why two environments per scope: cel-js checks a declared field type again at run time, so a
 * `string` field holding null fails (`Field 'firstName' is not of type 'string', got 'null'`),
 * while a `dyn` field accepts null but lets `identity.firstName + 1` through the checker.
 * - `check` declares the precise types (plus `T == null` / `T != null`), so unknown properties
 *   and type errors are found when the configuration is checked;
 * - `run` declares every field `dyn` (same field names, so nothing unknown can slip in) and
 *   evaluates; library functions there accept null and return null (a missing value stays
 *   missing), and a null reaching an operator becomes an ExpressionError at run time.
 * Only expressions that passed `check` are run.
 */
export interface CelEnvironments {
  readonly check: Environment;
  readonly run: Environment;
  /** Turns the engine's plain objects into the values `run` expects (see `toView`). */
  readonly views: { readonly identity?: ViewFactory; readonly resource?: ViewFactory };
  /** Identifies the scope: equal keys, equal environments. */
  readonly key: string;
}

/** Wraps a plain property record as a typed CEL object with every declared field present. */
export type ViewFactory = (values: Readonly<Record<string, unknown>>) => object;

const NULLABLE_TYPES: readonly FieldType[] = ['string', 'int', 'bool', 'list<string>'];

const environments = new Map<string, CelEnvironments>();

/** The (cached) environments for a scope: building one costs far more than checking an expression. */
export function celEnvironments(scope: ExpressionScope): CelEnvironments {
  const key = JSON.stringify([scope.identity ?? null, scope.resource ?? null]);
  let found = environments.get(key);
  if (!found) {
    found = buildEnvironments(scope, key);
    environments.set(key, found);
  }
  return found;
}

function buildEnvironments(scope: ExpressionScope, key: string): CelEnvironments {
  const check = new Environment();
  // The check environment already enforced homogeneous literals; with dyn fields `[identity.age, 2]`
  // would look mixed here.
  const run = new Environment({ homogeneousAggregateLiterals: false });
  const views: { identity?: ViewFactory; resource?: ViewFactory } = {};

  for (const variable of ['identity', 'resource'] as const) {
    const shape = scope[variable];
    if (!shape) continue;
    const typeName = variable === 'identity' ? 'Identity' : 'Resource';
    check.registerType(typeName, { fields: { ...shape.fields } });
    check.registerVariable(variable, typeName);
    const view = viewClass(shape, variable);
    run.registerType(typeName, { ctor: view.ctor, fields: dynFields(Object.keys(shape.fields)) });
    run.registerVariable(variable, typeName);
    views[variable] = view.create;
  }

  check.registerType('Assignment', { fields: { start: 'string', end: 'string' } });
  check.registerVariable('assignment', 'Assignment');
  run.registerType('Assignment', { ctor: AssignmentView, fields: dynFields(['start', 'end']) });
  run.registerVariable('assignment', 'Assignment');
  check.registerVariable('now', 'string');
  run.registerVariable('now', 'dyn');

  for (const type of NULLABLE_TYPES) {
    check.registerOperator(`${type} == null`, (a: unknown, b: unknown) => a === b);
  }

  for (const fn of FUNCTION_LIBRARY) {
    check.registerFunction(`${fn.name}(${fn.params.join(', ')}): ${fn.returns}`, fn.run, {
      description: fn.description,
    });
    const handler = fn.nullIn
      ? (...args: unknown[]) => (args[0] === null || args[0] === undefined ? null : fn.run(...args))
      : fn.run;
    run.registerFunction(`${fn.name}(${fn.params.map(() => 'dyn').join(', ')}): dyn`, handler);
  }
  return { check, run, views, key };
}

function dynFields(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, 'dyn']));
}

/** The assignment dates as the `run` environment sees them. */
export class AssignmentView {
  readonly start: string | null;
  readonly end: string | null;
  constructor(dates: { readonly start: string | null; readonly end: string | null } | undefined) {
    this.start = dates?.start ?? null;
    this.end = dates?.end ?? null;
  }
}

const viewClasses = new Map<string, { ctor: new () => object; create: ViewFactory }>();

/**
 * A class per entity shape whose instances carry every declared property: a missing property
 * becomes null (cel-js reports an absent key as an error), ints become bigint (CEL ints), lists
 * are copied as arrays. Views are cached per source object, because the engine evaluates many
 * expressions on the same identity.
 */
function viewClass(shape: EntityShape, variable: string): { ctor: new () => object; create: ViewFactory } {
  // One class per variable: cel-js finds a value's type by its constructor.
  const key = `${variable}:${JSON.stringify(shape.fields)}`;
  const existing = viewClasses.get(key);
  if (existing) return existing;
  const names = Object.keys(shape.fields);
  const ints = new Set(names.filter((name) => shape.fields[name] === 'int'));
  const ctor = class EntityView {};
  const cache = new WeakMap<object, object>();
  const create: ViewFactory = (values) => {
    let view = cache.get(values);
    if (view) return view;
    const target = new ctor() as Record<string, unknown>;
    for (const name of names) {
      const value = values[name];
      target[name] =
        value === undefined
          ? null
          : ints.has(name) && typeof value === 'number' && Number.isInteger(value)
            ? BigInt(value)
            : value;
    }
    view = target;
    cache.set(values, view);
    return view;
  };
  const made = { ctor, create };
  viewClasses.set(key, made);
  return made;
}
