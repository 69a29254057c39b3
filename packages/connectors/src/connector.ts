import type { EntityType, FulfilOperation, ObjectState } from '@ordo/core';

export type { CreateOperation, DeleteOperation, FulfilOperation, ObjectState, UpdateOperation } from '@ordo/core';

/**
 * The connector SPI: how the agent talks to one managed system (one connection of the
 * configuration). A connector knows nothing of orders, states or the server; it exports objects
 * and applies changes with "ensure" semantics, so that running the same operation twice changes
 * nothing the second time. Every failure is thrown as a {@link ConnectorError} that says whether
 * the change may have been applied.
 */
export interface Connector {
  /** What this system supports; the agent checks it before asking. */
  readonly capabilities: ConnectorCapabilities;

  /**
   * Checks that the system answers and the credentials work, with a cheap request.
   * @throws ConnectorError (kind `unreachable`, `permission`, `configuration`...).
   */
  testConnection(): Promise<void>;

  /**
   * Reads every object of one entity type (complete), or the changes since `cookie`
   * (incremental), page by page. `onPage` is awaited before the next page is read, so a slow
   * consumer slows the export instead of buffering it all in memory.
   *
   * A connector asked for an incremental export without a usable cookie (none yet, or expired)
   * runs a complete export and says so in the result, so that the server replaces instead of
   * merging.
   */
  export(request: ExportRequest, onPage: (page: ExportPage) => Promise<void>): Promise<ExportOutcome>;

  /**
   * Applies one change with "ensure" semantics:
   * - `create`: creates the object if absent; if it exists, compares and patches its values and
   *   adds the missing links (never `already_exists` for an object that can be made to match).
   * - `update`: sets the given values (null clears) and adds and removes the given links one by
   *   one, never by replacing a whole multi-valued attribute.
   * - `delete`: removes the object if present.
   * @returns whether the system changed, and the object's key afterwards.
   */
  fulfil(operation: FulfilOperation): Promise<FulfilOutcome>;

  /**
   * Reads one object as the system holds it now: the values of the given properties and its
   * links (by the linked objects' keys). `null` when it does not exist. Used for verification
   * after a write and before retrying a write that may have been applied.
   */
  read(request: ReadRequest): Promise<ObjectState | null>;

  /**
   * Optional: calls `onChange` soon after the source changes (an HR file dropped in place), so
   * that the agent runs an incremental export at once instead of at its next interval.
   * @returns a function that stops watching.
   */
  watch?(onChange: () => void): () => void;

  /** Releases connections; the connector is not used afterwards. */
  close(): Promise<void>;
}

export interface ConnectorCapabilities {
  /** Entity types this connection exports and fulfils. */
  readonly entityTypes: readonly string[];
  readonly completeExport: boolean;
  /** Exports only the changes since a cookie (LDAP modifyTimestamp, a CSV compared with the last one...). */
  readonly incrementalExport: boolean;
  readonly fulfil: boolean;
  /** `read` answers; without it orders end at 8 Executed, shown as not verifiable. */
  readonly readBack: boolean;
}

export interface ExportRequest {
  readonly entityType: string;
  readonly mode: 'complete' | 'incremental';
  /** What the previous export of this entity type returned; null for the first one. */
  readonly cookie: string | null;
  /** A hint; connectors may use their own page size. */
  readonly pageSize?: number;
}

export interface ExportPage {
  /** Objects created or changed (incremental) or every object (complete). */
  readonly objects: readonly ObjectState[];
  /** Incremental only: keys of objects deleted since the cookie. */
  readonly deletedKeys?: readonly string[];
}

export interface ExportOutcome {
  /** The mode actually run: an incremental request may have fallen back to complete. */
  readonly mode: 'complete' | 'incremental';
  /** Pass back on the next incremental export; null when the system offers none. */
  readonly cookie: string | null;
}

export interface FulfilOutcome {
  /** false when the system already was as asked (a repeated operation). */
  readonly changed: boolean;
  /** The object's key afterwards (a system may assign or normalise it). */
  readonly key: string;
}

export interface ReadRequest {
  readonly entityType: string;
  readonly key: string;
  /** Scalar properties to read; navigations of the entity type are always read. */
  readonly properties: readonly string[];
}

/** What a connector factory receives: one connection of the configuration, secrets resolved. */
export interface ConnectionContext {
  readonly connectionId: string;
  /** Settings with every `env:` / `file:` reference replaced by its value (agent side only). */
  readonly settings: Readonly<Record<string, string | number | boolean | null>>;
  /** The entity types the connector serves, from the model: keys, properties, navigations. */
  readonly entityTypes: Readonly<Record<string, EntityType>>;
}

export type ConnectorFactory = (context: ConnectionContext) => Connector;
