import { type Connector, createConnector } from '@ordo/connectors';
import type { AgentConfiguration, AgentPort, Connection, WorkItem, WorkReport } from '@ordo/core';
import { type BreakerPolicy, type BreakerStatus, CircuitBreaker, defaultBreakerPolicy } from './circuit-breaker.ts';
import { readSecretVariable } from './environment.ts';
import { ExportRunner } from './export-runner.ts';
import { AgentRequestError } from './http-agent-port.ts';
import { ReportBuffer } from './report-buffer.ts';
import { resolveSettings } from './resolve-settings.ts';
import { type BackoffPolicy, defaultBackoff, retryDelay } from './retry-delay.ts';
import { runWorkItem } from './run-work-item.ts';
import { Semaphore } from './semaphore.ts';

export interface AgentOptions {
  readonly port: AgentPort;
  /** Orders run at once per connector (target system). */
  readonly concurrency?: number;
  readonly maxAttempts?: number;
  readonly backoff?: BackoffPolicy;
  readonly breaker?: BreakerPolicy;
  /** How often the agent tells the server its health (default 5 s). */
  readonly statusIntervalMs?: number;
  /** Long-poll wait of one lease call. */
  readonly leaseWaitMs?: number;
  /**
   * Exports: incremental every `intervalMs` (null = only on start and on change), complete when
   * the server has no cookie yet and then at least every `completeEveryMs` (default 24 h).
   */
  readonly exports?: {
    readonly enabled: boolean;
    readonly intervalMs: number | null;
    readonly completeEveryMs?: number | null;
  };
  readonly log?: (line: string) => void;
  /** Opens a connector; tests pass their own to reach an in-memory system. */
  readonly openConnector?: (connection: Connection, configuration: AgentConfiguration) => Connector;
  readonly now?: () => number;
  readonly random?: () => number;
}

export interface AgentStatus {
  readonly inFlight: number;
  readonly breakers: Readonly<Record<string, BreakerStatus>>;
}

export interface RunningAgent {
  /** Stops leasing, lets the orders in flight finish and their reports reach the server. */
  stop(): Promise<void>;
  status(): AgentStatus;
  /** Runs the exports now (complete or incremental) and waits for their synchronization. */
  exportNow(mode: 'complete' | 'incremental'): Promise<void>;
}

/**
 * The agent (DESIGN.md §3): leases orders of its connectors from the server, runs them with
 * bounded concurrency per target and in order per target object, retries transient failures
 * through the server's schedule, pauses a failing target with a circuit breaker, reports every
 * outcome, and runs the exports that keep the server's picture of each system current.
 */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const log = options.log ?? (() => {});
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const concurrency = options.concurrency ?? 8;
  const backoff = options.backoff ?? defaultBackoff;
  const configuration = await firstConfiguration(options.port, log, (attempt) => retryDelay(attempt, backoff, random));
  const open =
    options.openConnector ??
    ((connection: Connection, config: AgentConfiguration) => {
      const connector = config.connectors.find((c) => c.connections.some((x) => x.id === connection.id));
      const entityTypes = Object.fromEntries(
        (connector?.entityTypes ?? []).flatMap((id) => (config.entityTypes[id] ? [[id, config.entityTypes[id]]] : [])),
      );
      return createConnector(connection.kind, {
        connectionId: connection.id,
        settings: resolveSettings(connection, readSecretVariable),
        entityTypes,
      });
    });

  const connectors = new Map<string, Connector>();
  const connectorFor = (connectionId: string): Connector => {
    let connector = connectors.get(connectionId);
    if (!connector) {
      const connection = configuration.connectors.flatMap((c) => c.connections).find((c) => c.id === connectionId);
      if (!connection) throw new Error(`connection ${connectionId} is not in this agent's configuration`);
      connector = open(connection, configuration);
      connectors.set(connectionId, connector);
    }
    return connector;
  };

  const breakers = new Map(
    configuration.connectors.map((c) => [c.id, new CircuitBreaker(options.breaker ?? defaultBreakerPolicy, now)]),
  );
  /** Leased and not yet reported, per connector: running ones and a batch waiting for a place. */
  const held = new Map<string, number>(configuration.connectors.map((c) => [c.id, 0]));
  const places = new Map(configuration.connectors.map((c) => [c.id, new Semaphore(concurrency)]));
  // Connectors with something to fulfil: an export-only source (an HR file) never gets orders.
  const fulfilling = configuration.connectors
    .filter((c) => c.connections.some((x) => x.kind !== 'manual' && x.disabled !== 'fulfil'))
    .map((c) => c.id);
  const objectQueues = new Map<string, Promise<void>>();
  const running = new Set<Promise<void>>();
  const reports = new ReportBuffer(options.port, log);
  let stopping = false;
  let slotFreed: (() => void) | null = null;

  const execute = async (item: WorkItem): Promise<void> => {
    const breaker = breakers.get(item.connector);
    let report: WorkReport;
    try {
      const outcome = await runWorkItem(connectorFor(item.connection), item, {
        maxAttempts: options.maxAttempts ?? 8,
        retryDelay: (attempt, retryAfterMs) => retryDelay(attempt, backoff, random, retryAfterMs),
      });
      report = outcome.report;
      if (outcome.transientFailure) {
        const before = breaker?.status().state;
        breaker?.recordFailure(outcome.transientFailure);
        if (before !== 'open' && breaker?.status().state === 'open') {
          log(`connector ${item.connector}: circuit breaker open (${outcome.transientFailure}); its orders wait`);
          sendStatus();
        }
      } else {
        const wasOpen = breaker !== undefined && breaker.status().state !== 'closed';
        breaker?.recordSuccess();
        if (wasOpen) {
          log(`connector ${item.connector}: circuit breaker closed`);
          sendStatus();
        }
      }
    } catch (error) {
      // A connector that cannot even be opened (bad settings, missing secret) fails the order.
      const message = error instanceof Error ? error.message : String(error);
      report = {
        orderId: item.orderId,
        leaseToken: item.leaseToken,
        outcome: 'errored',
        error: { message, kind: 'configuration', applied: 'no', retryable: false },
      };
    }
    await reports.add(report);
  };

  /**
   * Orders of one target object run one after the other (the account before its memberships);
   * at most `concurrency` run at once per target.
   */
  const schedule = (item: WorkItem) => {
    const objectKey = `${item.connection}\u0000${item.operation.entityType}\u0000${item.operation.key || item.orderId}`;
    held.set(item.connector, (held.get(item.connector) ?? 0) + 1);
    const previous = objectQueues.get(objectKey) ?? Promise.resolve();
    const place = places.get(item.connector) ?? new Semaphore(concurrency);
    const task = previous
      .then(() => place.run(() => execute(item)))
      .finally(() => {
        held.set(item.connector, (held.get(item.connector) ?? 1) - 1);
        if (objectQueues.get(objectKey) === task) objectQueues.delete(objectKey);
        running.delete(task);
        slotFreed?.();
      });
    objectQueues.set(objectKey, task);
    running.add(task);
  };

  /**
   * Free places per target to lease for. An agent holds up to four times its concurrency per
   * target (the running orders and the next batches), and leases again once a concurrency's worth
   * is free: orders arrive in batches, one lease per batch, not one lease per finished order,
   * since each lease is a transaction on the server.
   */
  /**
   * A connector whose connection cannot be opened (bad settings, a secret missing on this agent)
   * is not leased for: its orders wait in the server instead of all turning Errored, and the
   * reason is logged and reported as an open breaker. Opening is tried again every 30 s.
   */
  const unopenable = new Map<string, { reason: string; retryAt: number }>();
  const canOpen = (connectorId: string): boolean => {
    const known = unopenable.get(connectorId);
    if (known && now() < known.retryAt) return false;
    const connector = configuration.connectors.find((c) => c.id === connectorId);
    try {
      for (const connection of connector?.connections ?? []) {
        if (connection.kind !== 'manual' && connection.disabled !== 'fulfil') connectorFor(connection.id);
      }
      if (known) log(`connector ${connectorId}: opened; its orders go on`);
      unopenable.delete(connectorId);
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (known?.reason !== reason) log(`connector ${connectorId}: cannot be opened (${reason}); its orders wait`);
      unopenable.set(connectorId, { reason, retryAt: now() + 30_000 });
      return false;
    }
  };

  const freePlaces = (): Record<string, number> => {
    const slots: Record<string, number> = {};
    for (const connector of fulfilling) {
      if (!canOpen(connector)) continue;
      const admits = breakers.get(connector)?.admits() ?? 'all';
      const holding = held.get(connector) ?? 0;
      if (admits === 'none') continue;
      if (admits === 'probe') {
        if (holding === 0) slots[connector] = 1;
        continue;
      }
      const room = 4 * concurrency - holding;
      if (holding === 0 || room >= concurrency) slots[connector] = room;
    }
    return slots;
  };

  const leaseLoop = async () => {
    let failures = 0;
    while (!stopping) {
      const slots = freePlaces();
      const free = Object.values(slots).reduce((a, b) => a + b, 0);
      if (free <= 0) {
        await new Promise<void>((resolve) => {
          slotFreed = resolve;
          setTimeout(resolve, 200);
        });
        slotFreed = null;
        continue;
      }
      try {
        const items = await options.port.lease({
          connectors: Object.keys(slots),
          slots,
          max: free,
          waitMs: options.leaseWaitMs ?? 1_000,
        });
        failures = 0;
        for (const item of items) {
          const breaker = breakers.get(item.connector);
          if (breaker?.admits() === 'probe') breaker.startProbe();
          schedule(item);
        }
      } catch (error) {
        failures += 1;
        const delay = retryDelay(failures, backoff, random);
        log(`lease failed (${error instanceof Error ? error.message : String(error)}); retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };

  const status = (): AgentStatus => ({
    inFlight: [...held.values()].reduce((a, b) => a + b, 0),
    breakers: Object.fromEntries(
      [...breakers].map(([id, b]) => {
        const closedForGood = unopenable.get(id);
        return [
          id,
          closedForGood
            ? { state: 'open', reason: closedForGood.reason, openUntil: closedForGood.retryAt }
            : b.status(),
        ];
      }),
    ),
  });
  // The server shows agents' health (and /metrics their breakers) from these reports; a failed one
  // is simply sent again at the next tick.
  const sendStatus = () => {
    const { inFlight, breakers: states } = status();
    const report = {
      inFlight,
      breakers: Object.fromEntries(Object.entries(states).map(([id, b]) => [id, { state: b.state, reason: b.reason }])),
    };
    options.port.status(report).catch(() => {});
  };
  const statusTimer = setInterval(sendStatus, options.statusIntervalMs ?? 5_000);
  statusTimer.unref();
  sendStatus();

  const exportRunner = new ExportRunner({
    port: options.port,
    configuration,
    connectorFor,
    log,
    intervalMs: options.exports?.intervalMs ?? null,
    completeEveryMs: options.exports?.completeEveryMs === undefined ? 24 * 3_600_000 : options.exports.completeEveryMs,
    now,
  });
  if (options.exports?.enabled) exportRunner.start();
  else exportRunner.startServingRequests();

  const loop = leaseLoop();
  log(
    `agent ${configuration.agent} started: ${configuration.connectors.map((c) => c.id).join(', ') || 'no connectors'}`,
  );

  return {
    async stop() {
      stopping = true;
      clearInterval(statusTimer);
      slotFreed?.();
      await exportRunner.stop();
      await loop;
      await Promise.allSettled([...running]);
      await reports.close();
      for (const connector of connectors.values()) await connector.close().catch(() => {});
      log(`agent ${configuration.agent} stopped`);
    },
    status,
    exportNow: (mode) => exportRunner.runAll(mode),
  };
}

/** An agent may start before its server: it asks until the server answers. */
async function firstConfiguration(
  port: AgentPort,
  log: (line: string) => void,
  delay: (attempt: number) => number,
): Promise<AgentConfiguration> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await port.configuration();
    } catch (error) {
      // A refused token will not get better by asking again.
      if (error instanceof AgentRequestError && (error.status === 401 || error.status === 403)) throw error;
      const wait = delay(attempt);
      log(
        `the server does not answer (${error instanceof Error ? error.message : String(error)}); asking again in ${wait} ms`,
      );
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
