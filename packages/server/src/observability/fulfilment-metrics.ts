import { ProvisioningState } from '@ordo/core';
import { Gauge, Histogram, Registry } from 'prom-client';
import type { Stores } from '../storage/stores.ts';
import type { RecordedReport } from '../use-cases/fulfilment/record-work-reports.ts';
import type { AgentStatusBoard } from './agent-status-board.ts';

const latencyBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

export interface FulfilmentMetrics {
  readonly registry: Registry;
  /** Feeds the latency histograms from the reports the server accepted. */
  observe(recorded: readonly RecordedReport[], now: number): void;
}

/**
 * Prometheus metrics of fulfilment (`/metrics`): orders by state and connector, queue depth and
 * age of the oldest pending order per connector (read from the database at scrape time, so they
 * are right whichever server handled the work), execution and change-to-verified latencies (from
 * the reports this server accepted), and the agents' circuit breakers.
 */
export function createFulfilmentMetrics(deps: {
  stores: Pick<Stores, 'orders'>;
  statusBoard: AgentStatusBoard;
  now: () => number;
}): FulfilmentMetrics {
  const registry = new Registry();
  new Gauge({
    name: 'ordo_orders',
    help: 'Provisioning orders by connector and provisioning state (Usercube numbers)',
    labelNames: ['connector', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await deps.stores.orders.countByConnectorAndState()) {
        this.set({ connector: row.connector, state: String(row.state) }, row.count);
      }
    },
  });
  new Gauge({
    name: 'ordo_queue_depth',
    help: 'Orders waiting to be done per connector: Pending (1) and Transmitted (2)',
    labelNames: ['connector'],
    registers: [registry],
    async collect() {
      this.reset();
      const depth = new Map<string, number>();
      for (const row of await deps.stores.orders.countByConnectorAndState()) {
        if (row.state !== ProvisioningState.Pending && row.state !== ProvisioningState.Transmitted) continue;
        depth.set(row.connector, (depth.get(row.connector) ?? 0) + row.count);
      }
      for (const [connector, count] of depth) this.set({ connector }, count);
    },
  });
  new Gauge({
    name: 'ordo_oldest_pending_order_age_seconds',
    help: 'Age of the oldest Pending (1) order per connector',
    labelNames: ['connector'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await deps.stores.orders.oldestByConnector(ProvisioningState.Pending)) {
        this.set({ connector: row.connector }, Math.max(0, (deps.now() - Date.parse(row.createdAt)) / 1000));
      }
    },
  });
  new Gauge({
    name: 'ordo_agent_breaker_open',
    help: 'Whether an agent holds the orders of a target back (1) because its circuit breaker is open or half open',
    labelNames: ['agent', 'connector'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { agent, report } of deps.statusBoard.entries()) {
        for (const [connector, breaker] of Object.entries(report.breakers)) {
          this.set({ agent, connector }, breaker.state === 'closed' ? 0 : 1);
        }
      }
    },
  });
  new Gauge({
    name: 'ordo_agent_last_seen_seconds',
    help: 'Seconds since each agent last reported its status',
    labelNames: ['agent'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { agent, at } of deps.statusBoard.entries())
        this.set({ agent }, Math.max(0, (deps.now() - at) / 1000));
    },
  });
  const execution = new Histogram({
    name: 'ordo_order_execution_seconds',
    help: 'From hand-off to the agent (2 Transmitted) to its result, per connector',
    labelNames: ['connector'],
    buckets: latencyBuckets,
    registers: [registry],
  });
  const toVerified = new Histogram({
    name: 'ordo_order_created_to_verified_seconds',
    help: 'From the order’s creation (the computed change) to 4 Verified, per connector',
    labelNames: ['connector'],
    buckets: latencyBuckets,
    registers: [registry],
  });

  return {
    registry,
    observe(recorded, now) {
      for (const { outcome } of recorded) {
        if (!outcome || outcome.to === ProvisioningState.Transmitted) continue;
        if (outcome.transmittedAt) {
          execution.observe({ connector: outcome.connector }, (now - Date.parse(outcome.transmittedAt)) / 1000);
        }
        if (outcome.to === ProvisioningState.Verified) {
          toVerified.observe({ connector: outcome.connector }, (now - Date.parse(outcome.createdAt)) / 1000);
        }
      }
    },
  };
}
