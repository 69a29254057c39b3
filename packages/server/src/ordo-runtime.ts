import { randomUUID } from 'node:crypto';
import type { AgentPort } from '@ordo/core';
import type { FastifyInstance } from 'fastify';
import type { Clock } from './clock.ts';
import type { RouteEntry } from './http/access-control.ts';
import { buildApp } from './http/build-app.ts';
import { ProvisioningPipeline } from './jobs/provisioning-pipeline.ts';
import { WorkSignal } from './jobs/work-signal.ts';
import { AgentStatusBoard } from './observability/agent-status-board.ts';
import { createFulfilmentMetrics } from './observability/fulfilment-metrics.ts';
import type { Stores } from './storage/stores.ts';
import { AppliedModelCache } from './use-cases/applied-model-cache.ts';
import { createAgentService } from './use-cases/fulfilment/local-agent-port.ts';
import { runWatchdog } from './use-cases/fulfilment/run-watchdog.ts';

export interface OrdoRuntimeOptions {
  readonly stores: Stores;
  readonly clock: Clock;
  readonly log: (line: string) => void;
  readonly leaseMs?: number;
  /** How often the watchdog and the pipeline's safety run go (the events do the rest). */
  readonly housekeepingMs?: number;
  readonly httpLogger?: boolean;
  /** Session cookies get the Secure flag: set it when Ordo is served over HTTPS. */
  readonly secureCookies?: boolean;
}

export interface OrdoRuntime {
  readonly pipeline: ProvisioningPipeline;
  readonly models: AppliedModelCache;
  readonly app: FastifyInstance;
  /** Every HTTP route with its access rule. */
  readonly routes: readonly RouteEntry[];
  /** The agent service of one agent, for the embedded agent (the HTTP routes use the same). */
  agentService(agent: string): AgentPort;
  close(): Promise<void>;
}

/**
 * The long-running server: the provisioning pipeline, the agent services, the watchdog and the
 * HTTP app over one set of stores. `ordo serve` listens on `app`; tests inject into it.
 */
export async function createOrdoRuntime(options: OrdoRuntimeOptions): Promise<OrdoRuntime> {
  const { stores, clock, log } = options;
  const models = new AppliedModelCache(stores);
  const signal = new WorkSignal();
  const pipeline = new ProvisioningPipeline({ stores, clock, newId: randomUUID, signal, models, log });
  const statusBoard = new AgentStatusBoard();
  const metrics = createFulfilmentMetrics({ stores, statusBoard, now: Date.now });
  const services = new Map<string, AgentPort>();
  const agentService = (agent: string) => {
    let service = services.get(agent);
    if (!service) {
      service = createAgentService(
        {
          stores,
          clock,
          newId: randomUUID,
          signal,
          pipeline,
          models,
          statusBoard,
          metrics,
          ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
        },
        agent,
      );
      services.set(agent, service);
    }
    return service;
  };
  const { app, routes } = await buildApp({
    stores,
    clock,
    newId: randomUUID,
    models,
    pipeline,
    signal,
    agentService,
    statusBoard,
    metrics,
    log,
    secureCookies: options.secureCookies ?? false,
    logger: options.httpLogger ?? false,
  });

  const housekeeping = setInterval(async () => {
    try {
      const { model } = await models.current();
      const expired = await runWatchdog({ stores, clock }, model);
      if (expired) log(`watchdog: ${expired} silent order(s) turned Errored`);
      // A safety net for changes no event announced (another process's import, a restart).
      await pipeline.request();
    } catch (error) {
      log(`housekeeping failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }, options.housekeepingMs ?? 60_000);
  housekeeping.unref();

  return {
    pipeline,
    models,
    app,
    routes,
    agentService,
    async close() {
      clearInterval(housekeeping);
      await app.close();
      await pipeline.request().catch(() => {});
    },
  };
}
