/**
 * A lifecycle written as a table: state × event → state. The same table drives the code, the test
 * that walks every pair, and the diagram in docs/. `null` stands for "no assignment yet" (or
 * "assignment removed" as a target).
 */
export interface LifecycleTable<S extends number, E extends string> {
  readonly name: string;
  readonly states: readonly S[];
  readonly events: readonly E[];
  readonly transitions: readonly (readonly [from: S | null, event: E, to: S | null])[];
}

export type TransitionResult<S> =
  | { readonly ok: true; readonly state: S | null }
  | { readonly ok: false; readonly code: 'TRANSITION_REFUSED'; readonly message: string };

export function transitionIn<S extends number, E extends string>(
  table: LifecycleTable<S, E>,
  from: S | null,
  event: E,
  describe: (s: S | null) => string,
): TransitionResult<S> {
  for (const [f, e, to] of table.transitions) {
    if (f === from && e === event) return { ok: true, state: to };
  }
  return {
    ok: false,
    code: 'TRANSITION_REFUSED',
    message: `${table.name}: event "${event}" is not allowed in state ${describe(from)}`,
  };
}

/** Mermaid state diagram of a table, for docs/. */
export function toMermaid<S extends number, E extends string>(
  table: LifecycleTable<S, E>,
  label: (s: S) => string,
): string {
  const node = (s: S | null) => (s === null ? '[*]' : `s${s}`);
  const lines = ['stateDiagram-v2'];
  for (const s of table.states) lines.push(`  s${s} : ${s} ${label(s)}`);
  for (const [from, event, to] of table.transitions) {
    lines.push(`  ${node(from)} --> ${node(to)} : ${event}`);
  }
  return lines.join('\n');
}
