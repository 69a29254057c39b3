import { asConnectorError, type Connector } from '@ordo/connectors';
import { type ConnectorFailure, type ObjectState, verifyReadBack, type WorkItem, type WorkReport } from '@ordo/core';

export interface RunOptions {
  readonly maxAttempts: number;
  readonly retryDelay: (attempt: number, retryAfterMs?: number) => number;
  /** Pauses before reading back again after a transient read failure (default 100, 400 ms). */
  readonly readBackDelaysMs?: readonly number[];
}

/** What happened, for the report and for the target's circuit breaker. */
export interface RunOutcome {
  readonly report: WorkReport;
  /** A transient failure of the target (feeds its breaker); null when the target answered. */
  readonly transientFailure: string | null;
}

/**
 * Runs one leased order against its connector. After a "maybe applied" failure it reads first
 * and skips the write when the system already shows it (DESIGN.md §2, decision 3); after a write
 * it reads back what it wrote, for the server to verify. Transient failures ask for a retry after
 * a backoff delay until `maxAttempts`; anything else is a permanent error.
 */
export async function runWorkItem(connector: Connector, item: WorkItem, options: RunOptions): Promise<RunOutcome> {
  const base = { orderId: item.orderId, leaseToken: item.leaseToken };
  const op = item.operation;
  const readBack = connector.capabilities.readBack;
  try {
    if (item.maybeApplied && readBack && op.key !== '') {
      const current = await read(connector, item, op.key);
      if (verifyReadBack(item.expectation, current).verified) {
        return {
          report: { ...base, outcome: 'executed', key: current?.key ?? op.key, changed: false, readBack: current },
          transientFailure: null,
        };
      }
    }
    const outcome = await connector.fulfil(op);
    if (!readBack)
      return {
        report: { ...base, outcome: 'executed', key: outcome.key, changed: outcome.changed },
        transientFailure: null,
      };
    const readBackResult = await readBackWithRetries(
      connector,
      item,
      outcome.key,
      options.readBackDelaysMs ?? [100, 400],
    );
    return {
      report: { ...base, outcome: 'executed', key: outcome.key, changed: outcome.changed, ...readBackResult },
      transientFailure: null,
    };
  } catch (caught) {
    const error = asConnectorError(caught, `${op.kind} of ${op.entityType} ${op.key || '(new)'}`);
    const failure: ConnectorFailure = error.toJSON();
    if (!error.retryable) return { report: { ...base, outcome: 'errored', error: failure }, transientFailure: null };
    if (item.attempt >= options.maxAttempts) {
      return {
        report: {
          ...base,
          outcome: 'errored',
          error: { ...failure, message: `gave up after ${item.attempt} attempts: ${failure.message}` },
        },
        transientFailure: failure.message,
      };
    }
    return {
      report: {
        ...base,
        outcome: 'retry',
        error: failure,
        delayMs: options.retryDelay(item.attempt, error.retryAfterMs),
      },
      transientFailure: failure.message,
    };
  }
}

/**
 * The write succeeded; a read-back that fails for a transient reason is tried again a few times,
 * since giving up leaves the order at 8 Executed until the next synchronization verifies it.
 */
async function readBackWithRetries(
  connector: Connector,
  item: WorkItem,
  key: string,
  delaysMs: readonly number[],
): Promise<{ readBack: ObjectState | null } | { readError: string }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return { readBack: await read(connector, item, key) };
    } catch (caught) {
      const error = asConnectorError(caught, `read-back of ${key}`);
      const delay = delaysMs[attempt];
      if (!error.retryable || delay === undefined) return { readError: error.message };
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function read(connector: Connector, item: WorkItem, key: string): Promise<ObjectState | null> {
  return connector.read({ entityType: item.operation.entityType, key, properties: item.readProperties });
}
