import type { ScalarValue } from './expression.ts';

/** One synchronized object: an identity, an account, a group. */
export interface Resource {
  /** Ordo's own id, stable across synchronizations. */
  readonly id: string;
  readonly entityType: string;
  /** Value of the entity type's key property (employeeId, dn...), unique within the entity type. */
  readonly key: string;
  readonly values: Readonly<Record<string, ScalarValue>>;
  /** Navigation property → ids of the linked resources. */
  readonly links: Readonly<Record<string, readonly string[]>>;
}
