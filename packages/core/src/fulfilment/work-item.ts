import type { ScalarValue } from '../expression.ts';
import type { ComparisonType } from '../model.ts';
import type { FulfilOperation, ObjectState } from './object-operations.ts';

/** What a read-back must show for an order to be Verified. */
export interface Expectation {
  /** false for a deletion: the object must be gone. */
  readonly exists: boolean;
  /** Mapped scalars only: create-only values are never read back (DESIGN.md §2, decision 5). */
  readonly values: Readonly<Record<string, { readonly value: ScalarValue; readonly comparison: ComparisonType }>>;
  readonly linksPresent: Readonly<Record<string, readonly string[]>>;
  readonly linksAbsent: Readonly<Record<string, readonly string[]>>;
}

/** An order leased to an agent, in the connector's terms. */
export interface WorkItem {
  readonly orderId: string;
  /** Proves that a report comes from the holder of the current lease, not from an older one. */
  readonly leaseToken: string;
  readonly leaseExpiresAt: string;
  readonly connector: string;
  readonly connection: string;
  readonly resourceTypeId: string;
  readonly ownerId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /**
   * A previous attempt may have reached the system (a timeout after sending, an agent that died
   * holding the lease): the agent reads the object before writing again.
   */
  readonly maybeApplied: boolean;
  readonly operation: FulfilOperation;
  readonly expectation: Expectation;
  /** Scalar properties to read back. */
  readonly readProperties: readonly string[];
}

/** A connector error as data (see `ConnectorError` in @ordo/connectors). */
export interface ConnectorFailure {
  readonly message: string;
  readonly kind: string;
  readonly applied: 'no' | 'maybe';
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
}

interface ReportBase {
  readonly orderId: string;
  readonly leaseToken: string;
}

/** What an agent says about one work item. */
export type WorkReport =
  | (ReportBase & {
      readonly outcome: 'executed';
      /** The object's key afterwards (a created object's DN...). */
      readonly key: string;
      readonly changed: boolean;
      /**
       * The object as read right after the write; null = not found; absent when the connector
       * cannot read back or the read failed (`readError`), and synchronization verifies later.
       */
      readonly readBack?: ObjectState | null;
      readonly readError?: string;
    })
  | (ReportBase & {
      /** A transient failure: the order stays Transmitted and is offered again after `delayMs`. */
      readonly outcome: 'retry';
      readonly error: ConnectorFailure;
      readonly delayMs: number;
    })
  | (ReportBase & {
      /** A permanent failure, or retries exhausted: 3 Errored. */
      readonly outcome: 'errored';
      readonly error: ConnectorFailure;
    });
