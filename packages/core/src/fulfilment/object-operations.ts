import type { ScalarValue } from '../expression.ts';

/**
 * The data that crosses between the server, the agent and a connector: one object of a managed
 * system and the changes the agent asks a connector to ensure. Plain data, so that it travels as
 * JSON between processes; the connector SPI (`@ordo/connectors`) is written in these terms.
 */

/** One object of a managed system, as exported or read back. */
export interface ObjectState {
  readonly entityType: string;
  /** Value of the entity type's key property: a DN, a primary key, a SCIM userName... */
  readonly key: string;
  /** Scalar properties, by the Ordo property name. Absent = not read; null = empty in the system. */
  readonly values: Readonly<Record<string, ScalarValue>>;
  /** Navigation property → keys of the linked objects (a group's DN...). */
  readonly links: Readonly<Record<string, readonly string[]>>;
}

export type FulfilOperation = CreateOperation | UpdateOperation | DeleteOperation;

export interface CreateOperation {
  readonly kind: 'create';
  readonly entityType: string;
  /**
   * The new object's key when the role model computes it (a scalar rule on the key property);
   * empty when it does not, and the connector derives it from the values (an LDAP connector
   * builds the DN from its RDN attribute and container).
   */
  readonly key: string;
  /** Every value to write, create-only ones included. */
  readonly values: Readonly<Record<string, ScalarValue>>;
  /** Links to add (group memberships...), by the linked objects' keys. */
  readonly links: Readonly<Record<string, readonly string[]>>;
}

export interface UpdateOperation {
  readonly kind: 'update';
  readonly entityType: string;
  readonly key: string;
  /** Only the values that change; null clears the attribute. */
  readonly values: Readonly<Record<string, ScalarValue>>;
  readonly addLinks: Readonly<Record<string, readonly string[]>>;
  readonly removeLinks: Readonly<Record<string, readonly string[]>>;
}

export interface DeleteOperation {
  readonly kind: 'delete';
  readonly entityType: string;
  readonly key: string;
}
