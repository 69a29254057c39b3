/** One thing wrong in a configuration folder, located at the offending YAML node. */
export interface ConfigProblem {
  /** Stable code, e.g. `CONFIG_UNKNOWN_REFERENCE` (see `ConfigProblemCode`). */
  readonly code: ConfigProblemCode;
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** Path inside the YAML document, e.g. `resourceTypes.LdapAccount.dependsOn`. */
  readonly path: string;
  /** What is wrong and how to fix it, without the location (see `formatConfigProblem`). */
  readonly message: string;
}

export type ConfigProblemCode =
  /** The file is not valid YAML. */
  | 'CONFIG_YAML_SYNTAX'
  /** A value has the wrong shape: missing field, unknown field, wrong type, out of range. */
  | 'CONFIG_INVALID'
  /** The same id is defined twice (across files, or for rules). */
  | 'CONFIG_DUPLICATE_ID'
  /** A reference to something that does not exist (entity type, property, role, connector...). */
  | 'CONFIG_UNKNOWN_REFERENCE'
  /** A reference that exists but is of the wrong kind (a navigation where a scalar is needed...). */
  | 'CONFIG_WRONG_KIND'
  /** Category parents or resource type dependencies loop. */
  | 'CONFIG_CYCLE'
  /** Options that contradict each other (removeOrphans without allowRemove...). */
  | 'CONFIG_CONFLICT'
  /** A secret written in clear instead of `env:NAME` / `file:PATH`. */
  | 'CONFIG_LITERAL_SECRET'
  /** A CEL expression that does not parse or type-check. */
  | 'CONFIG_EXPRESSION'
  /** A CEL expression whose result has the wrong type for where it is used. */
  | 'CONFIG_EXPRESSION_TYPE';

/** `file:line:column path: message`, the form editors and terminals link to. */
export function formatConfigProblem(problem: ConfigProblem): string {
  return `${problem.file}:${problem.line}:${problem.column} ${problem.path}: ${problem.message} [${problem.code}]`;
}
