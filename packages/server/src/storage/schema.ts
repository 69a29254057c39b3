import type { Generated } from 'kysely';

/**
 * Row shapes of every table, as Kysely sees them. Booleans are integers (0/1) and JSON and
 * timestamps are text on both dialects, so that one code base and one set of queries serve
 * SQLite and PostgreSQL, and ISO-8601 timestamps sort the same on both.
 */
export interface StorageSchema {
  config_versions: ConfigVersionsTable;
  resources: ResourcesTable;
  resource_links: ResourceLinksTable;
  assigned_composite_roles: AssignedCompositeRolesTable;
  assigned_single_roles: AssignedSingleRolesTable;
  assigned_resource_types: AssignedResourceTypesTable;
  assigned_scalars: AssignedScalarsTable;
  assigned_navigations: AssignedNavigationsTable;
  orders: OrdersTable;
  order_ledger: OrderLedgerTable;
  generation_runs: GenerationRunsTable;
  sync_states: SyncStatesTable;
  sync_runs: SyncRunsTable;
  agent_tokens: AgentTokensTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  requests: RequestsTable;
  request_decisions: RequestDecisionsTable;
  jobs: JobsTable;
  job_logs: JobLogsTable;
  job_schedules: JobSchedulesTable;
  job_locks: JobLocksTable;
  audit_log: AuditLogTable;
  notifications: NotificationsTable;
}

export interface ConfigVersionsTable {
  number: number;
  applied_at: string;
  applied_by: string;
  hash: string;
  /** JSON object: file path → content. */
  files: string;
}

export interface ResourcesTable {
  id: string;
  entity_type: string;
  key: string;
  /** JSON object: property → scalar value. */
  values_json: string;
  /** 0/1: changed since the last computation. */
  dirty: number;
  classified_resource_type: string | null;
}

/** One row per linked resource, so that "who links to X" is an index lookup. */
export interface ResourceLinksTable {
  resource_id: string;
  property: string;
  /** Keeps the order of the link list. */
  position: number;
  target_id: string;
}

export interface AssignmentCommonColumns {
  id: string;
  owner_id: string;
  workflow_state: number;
  start_date: string | null;
  end_date: string | null;
  rule_id: string | null;
}

export interface ProvisionedColumns extends AssignmentCommonColumns {
  provisioning_state: number;
  pending_operation: string | null;
  message: string | null;
  declined: number;
}

export interface AssignedCompositeRolesTable extends AssignmentCommonColumns {
  role_id: string;
}

export interface AssignedSingleRolesTable extends AssignmentCommonColumns {
  role_id: string;
  inferred_from: string | null;
}

export interface AssignedResourceTypesTable extends ProvisionedColumns {
  resource_type_id: string;
  target_resource_id: string | null;
  confidence: number | null;
}

export interface AssignedScalarsTable extends ProvisionedColumns {
  assigned_resource_type_id: string;
  resource_type_id: string;
  property: string;
  /** JSON scalar. */
  computed_value: string;
  /** JSON scalar. */
  current_value: string;
  mapped: number;
}

export interface AssignedNavigationsTable extends ProvisionedColumns {
  assigned_resource_type_id: string;
  resource_type_id: string;
  property: string;
  value_resource_id: string;
  confidence: number | null;
}

export interface OrdersTable {
  id: string;
  assigned_resource_type_id: string;
  resource_type_id: string;
  connector: string;
  owner_id: string;
  target_resource_id: string | null;
  target_key: string | null;
  change_type: string;
  scalars: string;
  added_links: string;
  removed_links: string;
  assignment_ids: string;
  state: number;
  not_before: string | null;
  created_at: string;
  run_id: string;
  /** Agent holding the lease, while it holds it. */
  lease_owner: string | null;
  lease_token: string | null;
  lease_expires_at: string | null;
  /** A transient failure's retry: not offered again before this time. */
  next_attempt_at: string | null;
  /** JSON ConnectorFailure of the last failed attempt, or a person's error report. */
  last_error: string | null;
  transmitted_at: string | null;
  executed_at: string | null;
  /** When it reached Verified, Errored or Inactive. */
  finished_at: string | null;
  /** The target's key as the system reported it after execution. */
  result_key: string | null;
  attempts: Generated<number>;
  /** 0/1: an attempt may have reached the system; read before writing again. */
  maybe_applied: Generated<number>;
}

export interface OrderLedgerTable {
  /** PostgreSQL returns bigint identities as strings. */
  id: Generated<number | string>;
  assignment_id: string;
  owner_id: string;
  state_kind: string;
  from_state: number | null;
  to_state: number | null;
  event: string;
  rule_id: string | null;
  /** JSON text; SQL NULL when the engine gave `undefined`. */
  expression_result: string | null;
  message: string | null;
  order_id: string | null;
  cause_kind: string;
  cause_id: string;
  at: string;
  paired_from_state: number | null;
  paired_to_state: number | null;
  paired_event: string | null;
}

export interface GenerationRunsTable {
  id: string;
  started_at: string;
  finished_at: string | null;
  blocked_at: string | null;
  resumed_at: string | null;
  resumed_by: string | null;
  status: string;
  /** JSON array of threshold verdicts. */
  verdicts: string;
  /** JSON array of order counts per resource type and change type. */
  counts: string;
}

export interface SyncStatesTable {
  connection: string;
  entity_type: string;
  connector: string;
  cookie: string | null;
  last_complete_at: string | null;
  last_sync_at: string | null;
}

export interface SyncRunsTable {
  id: string;
  connector: string;
  connection: string;
  entity_type: string;
  /** complete | incremental */
  mode: string;
  /** completed | blocked | resumed | consumed */
  status: string;
  inserted: number;
  updated: number;
  deleted: number;
  /** JSON array of threshold verdicts. */
  verdicts: string;
  started_at: string;
  finished_at: string | null;
  resumed_by: string | null;
}

export interface AgentTokensTable {
  id: string;
  agent: string;
  /** SHA-256 of the token, hex: tokens are random 256-bit values, so a slow hash adds nothing. */
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

/** People (and programs, through their API tokens) who use the API. */
export interface AccountsTable {
  id: string;
  login: string;
  display_name: string;
  email: string | null;
  /** argon2id PHC string; null for accounts that sign in only through OIDC. */
  password_hash: string | null;
  /** The identity (resource id) this person is, for `self` and `managed` scopes. */
  identity_id: string | null;
  /** JSON array of profile ids of the applied configuration. */
  profiles: string;
  oidc_issuer: string | null;
  oidc_subject: string | null;
  disabled: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the cookie's random value: a stolen database does not yield live sessions. */
  id_hash: string;
  account_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  /** password | oidc */
  via: string;
}

export interface ApiTokensTable {
  id: string;
  account_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Failed sign-ins per key (login, or client address), for the login rate limit. */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
}

/** A manual request ("Modify Permissions") and where its approval stands. */
export interface RequestsTable {
  id: string;
  owner_id: string;
  /** single_role | composite_role | resource_type */
  item_kind: string;
  item_id: string;
  assignment_id: string;
  /** add | remove */
  action: string;
  requested_by: string;
  requested_at: string;
  comment: string | null;
  start_date: string | null;
  end_date: string | null;
  /** Approval steps this request needs (0–3). */
  steps: number;
  /** Steps approved so far. */
  approvals: Generated<number>;
  /** pending | approved | declined | cancelled */
  status: string;
  decided_at: string | null;
  /** approve | decline: what happens on its own at `auto_decide_at`. */
  auto_decision: string | null;
  auto_decide_at: string | null;
  /** Bumped at every decision: decisions are compare-and-set on it. */
  version: Generated<number>;
}

export interface RequestDecisionsTable {
  id: Generated<number | string>;
  request_id: string;
  step: number;
  /** approved | declined | auto_approved | auto_declined */
  decision: string;
  decided_by: string;
  decided_at: string;
  comment: string | null;
}

export interface JobsTable {
  id: string;
  /** complete | incremental | task */
  kind: string;
  /** export | synchronize | compute | generate | fulfil, for kind task. */
  task: string | null;
  connector: string | null;
  /** running | completed | failed | blocked | interrupted */
  status: string;
  requested_by: string;
  schedule_id: string | null;
  /** The server process running it. */
  node: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  heartbeat_at: string | null;
  /** JSON: { step, done, total }. */
  progress: string | null;
  /** JSON summary of what it did. */
  result: string | null;
  error: string | null;
}

export interface JobLogsTable {
  id: Generated<number | string>;
  job_id: string;
  at: string;
  /** info | warn | error */
  level: string;
  message: string;
}

export interface JobSchedulesTable {
  id: string;
  name: string;
  cron: string;
  kind: string;
  task: string | null;
  connector: string | null;
  enabled: number;
  next_run_at: string | null;
  last_run_at: string | null;
  last_job_id: string | null;
  created_by: string;
  created_at: string;
}

/** One running job per scope (a connector, or `all`), across every server process. */
export interface JobLocksTable {
  scope: string;
  job_id: string;
  node: string;
  /** Renewed by the running job's heartbeat; a crashed node's lock lapses. */
  expires_at: string;
}

/** Append-only: who did what, when, to what, with before and after. */
export interface AuditLogTable {
  id: Generated<number | string>;
  at: string;
  /** `account:<login>`, `token:<name>`, `agent:<name>` or `system`. */
  actor: string;
  /** Stable code, e.g. `request.approved`, `order.unblocked`. */
  action: string;
  target_kind: string;
  target_id: string;
  before_json: string | null;
  after_json: string | null;
  detail: string | null;
}

/** The notification outbox: written in the transaction of what it announces, sent afterwards. */
export interface NotificationsTable {
  id: string;
  created_at: string;
  kind: string;
  /** Account login. */
  recipient: string;
  subject: string;
  body: string;
  /** pending | sent | failed */
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  sent_at: string | null;
  last_error: string | null;
}
