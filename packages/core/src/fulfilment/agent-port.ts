import type { Connection, EntityType } from '../model.ts';
import type { ObjectState } from './object-operations.ts';
import type { WorkItem, WorkReport } from './work-item.ts';

/** What an agent needs to open its connectors: connections with secret references, not secrets. */
export interface AgentConfiguration {
  readonly agent: string;
  /** Configuration version, so that an agent notices a change and reopens its connectors. */
  readonly version: number;
  readonly connectors: readonly AgentConnector[];
  readonly entityTypes: Readonly<Record<string, EntityType>>;
}

export interface AgentConnector {
  readonly id: string;
  readonly entityTypes: readonly string[];
  readonly connections: readonly Connection[];
}

export interface LeaseRequest {
  /** Narrows to these connectors (an agent leaves out a target whose breaker is open). */
  readonly connectors?: readonly string[];
  readonly max: number;
  /**
   * At most this many orders per connector (the agent's free places for each target), so that
   * one busy target cannot take the places of another. Overrides `connectors` when given.
   */
  readonly slots?: Readonly<Record<string, number>>;
  /** Wait up to this long for work when there is none (long poll); 0 answers at once. */
  readonly waitMs: number;
}

export interface ReportVerdict {
  readonly orderId: string;
  readonly accepted: boolean;
  /** Why a report was refused: the lease is no longer this agent's, or the order moved on. */
  readonly reason?: string;
}

/** One connection's export of one entity type. */
export interface ExportUpload {
  readonly connector: string;
  readonly connection: string;
  readonly entityType: string;
  readonly mode: 'complete' | 'incremental';
  readonly objects: readonly ObjectState[];
  /** Incremental only: keys deleted since the previous export. */
  readonly deletedKeys: readonly string[];
  readonly cookie: string | null;
}

/**
 * A job asks the agent serving a connector to export it now (reference spec §4.1 step 1): the
 * agent exports every entity type of the connector and uploads each, even when nothing changed,
 * and the job's export step completes when the uploads are synchronized.
 */
export interface JobExportRequest {
  readonly jobId: string;
  /** When the job's export step began: a resumed job asks again with a later one. */
  readonly since: string;
  readonly connector: string;
  readonly mode: 'complete' | 'incremental';
}

/** What an agent tells the server about itself, for dashboards and metrics. */
export interface AgentStatusReport {
  /** Orders leased and not yet reported. */
  readonly inFlight: number;
  /** Circuit breaker of each target: open means its orders wait, and why. */
  readonly breakers: Readonly<
    Record<string, { readonly state: 'closed' | 'open' | 'half_open'; readonly reason: string | null }>
  >;
}

export interface UploadOutcome {
  readonly status: 'completed' | 'blocked';
  readonly message: string;
}

/**
 * How an agent talks to the server. The agent always calls; the server never calls the agent, so
 * agents run behind firewalls next to the systems they manage. The embedded agent uses an
 * in-process implementation, a remote one HTTP with a token; both behave the same.
 */
export interface AgentPort {
  configuration(): Promise<AgentConfiguration>;
  lease(request: LeaseRequest): Promise<WorkItem[]>;
  report(reports: readonly WorkReport[]): Promise<ReportVerdict[]>;
  /** The cookie of the last synchronized export, for the next incremental one. */
  exportCookie(connection: string, entityType: string): Promise<string | null>;
  upload(upload: ExportUpload): Promise<UploadOutcome>;
  /** Exports running jobs wait for from this agent (optional: an older agent or port has none). */
  exportRequests?(): Promise<JobExportRequest[]>;
  /** The agent's health, sent every few seconds and whenever a breaker opens or closes. */
  status(report: AgentStatusReport): Promise<void>;
}
