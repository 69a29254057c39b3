/** Where something was written in the configuration folder, for error messages and the ledger. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Path inside the YAML document, e.g. `resourceTypes.LdapAccount.scalars[2].expression`. */
  readonly path: string;
}

/** Scalar value as stored and as seen by expressions. Dates are ISO-8601 strings. */
export type ScalarValue = string | number | boolean | null;

/**
 * The variables an expression sees. `identity` is the owner (source resource), `resource` the
 * target or candidate resource (correlation, classification, query rules), `assignment` the dates
 * of the assignment being computed. Values are plain objects of the resource's properties; a
 * navigation property's value is the key (or list of keys) of the linked resources.
 */
export interface ExpressionVariables {
  readonly identity?: Readonly<Record<string, unknown>>;
  readonly resource?: Readonly<Record<string, unknown>>;
  readonly assignment?: { readonly start: string | null; readonly end: string | null };
  readonly now?: string;
  /**
   * Reserved for the `unique(candidate)` function: tells whether a value is already used (e.g. an
   * existing login in the target system, or one the engine handed out earlier in the same run).
   * The engine fills it because expressions cannot do I/O. Absent = nothing is taken.
   */
  readonly taken?: (value: string) => boolean;
  /**
   * Also for `unique(candidate)`: the value the same rule gave this owner before. It is kept while
   * it is still a form of the candidate (`jdoe`, `jdoe2`...) and nobody else holds it, so that a
   * login never changes because someone else's was freed.
   */
  readonly kept?: string | null;
}

/**
 * A CEL expression compiled and type-checked when the configuration was checked. `evaluate`
 * returns plain JavaScript values (CEL ints become numbers) and throws `ExpressionError` when the
 * expression fails for these inputs (missing property, wrong type, division by zero...).
 */
export interface Expression {
  readonly source: string;
  readonly location: SourceLocation;
  evaluate(variables: ExpressionVariables): unknown;
}

export class ExpressionError extends Error {
  readonly code = 'EXPRESSION_FAILED';
  constructor(
    readonly expression: string,
    readonly location: SourceLocation,
    message: string,
  ) {
    super(`${location.file}:${location.line} ${location.path}: ${message} (in \`${expression}\`)`);
    this.name = 'ExpressionError';
  }
}
