import type { ScalarValue } from './expression.ts';
import type { ProvisioningState } from './states.ts';

export type ChangeType = 'added' | 'modified' | 'deleted';

/** A linked resource as an order carries it: the id for Ordo, the key for the connector. */
export interface LinkRef {
  readonly id: string;
  readonly key: string;
}

/**
 * The unit of change for one target resource of one owner and one resource type (reference spec
 * §8.3). Modified orders carry only changed scalars, and link additions and removals as separate
 * lists: never a whole-list replacement, so that memberships added outside Ordo are not wiped.
 */
export interface ProvisioningOrder {
  readonly id: string;
  readonly assignedResourceTypeId: string;
  readonly resourceTypeId: string;
  readonly connector: string;
  readonly ownerId: string;
  /** The existing target for Modified and Deleted orders. */
  readonly targetResourceId: string | null;
  readonly targetKey: string | null;
  readonly changeType: ChangeType;
  readonly scalars: Readonly<Record<string, ScalarValue>>;
  readonly addedLinks: Readonly<Record<string, readonly LinkRef[]>>;
  readonly removedLinks: Readonly<Record<string, readonly LinkRef[]>>;
  /** Assignments whose pending change this order carries; their states follow the order's. */
  readonly assignmentIds: readonly string[];
  readonly state: ProvisioningState;
  /** Not handed off before this time (fulfil hours ahead, depends-on hold), null = now. */
  readonly notBefore: string | null;
  readonly createdAt: string;
  /** The generation run that emitted it. */
  readonly runId: string;
}

/** What caused a state change, for the ledger. */
export interface Cause {
  readonly kind: 'job' | 'event' | 'user' | 'agent';
  readonly id: string;
}

/**
 * One state change of one assignment, as the pure engine reports it. The use case adds the cause
 * and the time and appends it to the order ledger.
 */
export interface StateChange {
  readonly assignmentId: string;
  readonly ownerId: string;
  readonly stateKind: 'provisioning' | 'workflow';
  /** null when the assignment is new. */
  readonly from: number | null;
  /** null when the assignment is removed. */
  readonly to: number | null;
  readonly event: string;
  readonly ruleId: string | null;
  /** For computed values: what the rule's expression gave. */
  readonly expressionResult: unknown;
  readonly message: string | null;
}

export interface LedgerEntry extends StateChange {
  readonly id: number;
  readonly orderId: string | null;
  readonly cause: Cause;
  readonly at: string;
}
