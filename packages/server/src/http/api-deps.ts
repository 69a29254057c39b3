import type { AgentPort, AutoDecisionPolicy } from '@ordo/core';
import type { Clock } from '../clock.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import type { ProvisioningPipeline } from '../jobs/provisioning-pipeline.ts';
import type { WorkSignal } from '../jobs/work-signal.ts';
import type { AgentStatusBoard } from '../observability/agent-status-board.ts';
import type { FulfilmentMetrics } from '../observability/fulfilment-metrics.ts';
import type { OidcFlow } from '../security/oidc-flow.ts';
import type { Stores } from '../storage/stores.ts';
import type { AppliedModelCache } from '../use-cases/applied-model-cache.ts';

/**
 * Everything the HTTP API may hand to its use cases. Each route module picks what it needs and
 * passes each use case only its own part (house rule 3).
 */
export interface ApiDeps {
  readonly stores: Stores;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly models: AppliedModelCache;
  /** Recomputes dirty identities and hands their orders off (after approvals, reviews, decisions). */
  readonly pipeline: Pick<ProvisioningPipeline, 'request'>;
  /** Wakes agents waiting for work (after unblocking orders). */
  readonly signal: Pick<WorkSignal, 'notify'>;
  /** The agent service of one agent: only that agent's connectors are reachable through it. */
  readonly agentService: (agent: string) => AgentPort;
  readonly statusBoard?: AgentStatusBoard;
  /** Sign-in through an OIDC provider; absent when OIDC is not configured. */
  readonly oidc?: Pick<OidcFlow, 'start' | 'finish'>;
  /** Served as Prometheus text at `/metrics`. */
  readonly metrics?: Pick<FulfilmentMetrics, 'registry'>;
  readonly log: (line: string) => void;
  /** Server-wide auto decision of manual requests nobody decided in time (off when absent). */
  readonly autoDecision?: AutoDecisionPolicy;
  /** Launches, resumes and schedules jobs (Job Execution); absent: the job routes answer 503. */
  readonly jobs?: JobRunner;
  /** Cookies get the Secure flag (set behind HTTPS; off for plain-HTTP loopback). */
  readonly secureCookies?: boolean;
  /**
   * The reverse proxies whose X-Forwarded-For is believed (Fastify's `trustProxy`: addresses or
   * CIDRs). Without it, behind a proxy every sign-in would come from the proxy's address, and the
   * per-address sign-in limit would lock everyone out together.
   */
  readonly trustProxy?: string;
  /** Folder of the built web UI (packages/web/dist), served at `/`; absent: no UI (API only). */
  readonly webRoot?: string;
  /** pino options, or false for no request log (tests). */
  readonly logger?: boolean | object;
}
