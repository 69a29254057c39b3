import { randomUUID } from 'node:crypto';
import type { AgentPort, AutoDecisionPolicy } from '@ordo/core';
import type { FastifyInstance } from 'fastify';
import type { Clock } from './clock.ts';
import type { OidcSettings } from './environment.ts';
import type { RouteEntry } from './http/access-control.ts';
import { buildApp } from './http/build-app.ts';
import { JobRunner } from './jobs/job-runner.ts';
import { ProvisioningPipeline } from './jobs/provisioning-pipeline.ts';
import { WorkSignal } from './jobs/work-signal.ts';
import { NotificationDispatcher } from './notifications/notification-dispatcher.ts';
import { notifyJobFailed } from './notifications/notification-producers.ts';
import { LogSender, type NotificationSender } from './notifications/notification-sender.ts';
import { PipelineNotifications } from './notifications/pipeline-notifications.ts';
import { AgentStatusBoard } from './observability/agent-status-board.ts';
import { createFulfilmentMetrics } from './observability/fulfilment-metrics.ts';
import { OidcFlow } from './security/oidc-flow.ts';
import type { JobRecord } from './storage/job-store.ts';
import type { Stores } from './storage/stores.ts';
import { AppliedModelCache } from './use-cases/applied-model-cache.ts';
import { createAgentService } from './use-cases/fulfilment/local-agent-port.ts';
import { runWatchdog } from './use-cases/fulfilment/run-watchdog.ts';
import { runAutoDecisions } from './use-cases/requests/manage-requests.ts';
import { forgetStaleLoginFailures } from './use-cases/security/login-throttle.ts';

export interface OrdoRuntimeOptions {
  readonly stores: Stores;
  readonly clock: Clock;
  readonly log: (line: string) => void;
  readonly leaseMs?: number;
  /** How often the watchdog and the pipeline's safety run go (the events do the rest). */
  readonly housekeepingMs?: number;
  /** Request log: false (none), true (pino to stdout), or pino options (e.g. a stream). */
  readonly httpLogger?: boolean | object;
  /** Session cookies get the Secure flag: set it when Ordo is served over HTTPS. */
  readonly secureCookies?: boolean;
  /** Reverse proxies whose X-Forwarded-For is believed (addresses or CIDRs, comma-separated). */
  readonly trustProxy?: string;
  /** Sign-in through an OIDC provider (`readOidcSettings`); `allowHttp` for a loopback provider in tests. */
  readonly oidc?: { readonly settings: OidcSettings; readonly allowHttp?: boolean };
  /** Delivers notifications from the outbox; a `LogSender` over `log` by default. */
  readonly notificationSender?: NotificationSender;
  /** How often the notification dispatcher polls the outbox (default 5 s). */
  readonly notificationPollMs?: number;
  /** Server-wide auto decision of manual requests nobody decided in time (off when absent). */
  readonly requestAutoDecision?: AutoDecisionPolicy;
  /** How often the job scheduler looks for due schedules and lapsed job locks (default 15 s; 0 = never). */
  readonly jobSchedulerMs?: number;
  /** Folder of the built web UI, served at `/` (absent: API only). */
  readonly webRoot?: string;
  /** Called when a job fails or is interrupted; by default people who may launch jobs are notified. */
  readonly onJobFailed?: (job: JobRecord) => Promise<void> | void;
}

export interface OrdoRuntime {
  readonly pipeline: ProvisioningPipeline;
  /** Launches, resumes and schedules jobs; stopped by `close`. */
  readonly jobs: JobRunner;
  readonly models: AppliedModelCache;
  /** Drains the notification outbox; started with the runtime, stopped by `close`. */
  readonly notifications: NotificationDispatcher;
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
  const pipeline = new ProvisioningPipeline({
    stores,
    clock,
    newId: randomUUID,
    signal,
    models,
    log,
    notifications: new PipelineNotifications({ stores, clock, newId: randomUUID }),
  });
  const jobs = new JobRunner({
    stores,
    clock,
    newId: randomUUID,
    models,
    signal,
    log,
    ...(options.jobSchedulerMs !== undefined ? { schedulerMs: options.jobSchedulerMs } : {}),
    onJobFailed:
      options.onJobFailed ??
      (async (job) => {
        await notifyJobFailed({ stores, clock, newId: randomUUID, models }, job);
      }),
  });
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
    jobs,
    secureCookies: options.secureCookies ?? false,
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    ...(options.requestAutoDecision ? { autoDecision: options.requestAutoDecision } : {}),
    ...(options.oidc
      ? { oidc: new OidcFlow(options.oidc.settings, { allowHttp: options.oidc.allowHttp ?? false }) }
      : {}),
    logger: options.httpLogger ?? false,
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
  });

  const notifications = new NotificationDispatcher({
    stores,
    clock,
    sender: options.notificationSender ?? new LogSender(log),
    log,
    ...(options.notificationPollMs ? { pollMs: options.notificationPollMs } : {}),
  });
  notifications.start();

  const housekeeping = setInterval(async () => {
    try {
      const { model } = await models.current();
      const expired = await runWatchdog({ stores, clock }, model);
      if (expired) log(`watchdog: ${expired} silent order(s) turned Errored`);
      await runAutoDecisions({ stores, clock, newId: randomUUID, models, pipeline });
      await stores.sessions.deleteExpired(clock.now());
      await forgetStaleLoginFailures({ stores, clock });
      // A safety net for changes no event announced (another process's import, a restart).
      await pipeline.request();
    } catch (error) {
      log(`housekeeping failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }, options.housekeepingMs ?? 60_000);
  housekeeping.unref();
  jobs.start();

  return {
    pipeline,
    jobs,
    models,
    app,
    routes,
    agentService,
    notifications,
    async close() {
      clearInterval(housekeeping);
      await jobs.close();
      await notifications.stop();
      await app.close();
      await pipeline.request().catch(() => {});
    },
  };
}
