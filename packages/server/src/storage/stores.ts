import { AccountStore } from './account-store.ts';
import { AgentTokenStore } from './agent-token-store.ts';
import { ApiTokenStore } from './api-token-store.ts';
import { AssignmentStore } from './assignment-store.ts';
import { AuditStore } from './audit-store.ts';
import { ConfigVersionStore } from './config-version-store.ts';
import type { Database } from './database.ts';
import { DirectoryStore } from './directory-store.ts';
import { GenerationRunStore } from './generation-run-store.ts';
import { JobStore } from './job-store.ts';
import { LedgerStore } from './ledger-store.ts';
import { LoginThrottleStore } from './login-throttle-store.ts';
import { NotificationStore } from './notification-store.ts';
import { OrderSearchStore } from './order-search-store.ts';
import { OrderStore } from './order-store.ts';
import { ProvisioningReviewStore } from './provisioning-review-store.ts';
import { ReconciliationStore } from './reconciliation-store.ts';
import { RequestStore } from './request-store.ts';
import { ResourceStore } from './resource-store.ts';
import { SessionStore } from './session-store.ts';
import { SyncStore } from './sync-store.ts';

/** Every store over one database handle, for use cases to pick from (house rule 3). */
export interface Stores {
  readonly database: Database;
  readonly configVersions: ConfigVersionStore;
  readonly resources: ResourceStore;
  readonly assignments: AssignmentStore;
  readonly orders: OrderStore;
  readonly ledger: LedgerStore;
  readonly generationRuns: GenerationRunStore;
  readonly sync: SyncStore;
  readonly agentTokens: AgentTokenStore;
  readonly accounts: AccountStore;
  readonly sessions: SessionStore;
  readonly apiTokens: ApiTokenStore;
  readonly audit: AuditStore;
  readonly loginThrottle: LoginThrottleStore;
  readonly notifications: NotificationStore;
  readonly reconciliation: ReconciliationStore;
  readonly requests: RequestStore;
  readonly directory: DirectoryStore;
  readonly jobs: JobStore;
  readonly orderSearch: OrderSearchStore;
  readonly provisioningReview: ProvisioningReviewStore;
  /** Runs `fn` with stores bound to one transaction (joins the current one if already in one). */
  transaction<T>(fn: (tx: Stores) => Promise<T>): Promise<T>;
}

export function createStores(database: Database): Stores {
  return {
    database,
    configVersions: new ConfigVersionStore(database),
    resources: new ResourceStore(database),
    assignments: new AssignmentStore(database),
    orders: new OrderStore(database),
    ledger: new LedgerStore(database),
    generationRuns: new GenerationRunStore(database),
    sync: new SyncStore(database),
    agentTokens: new AgentTokenStore(database),
    accounts: new AccountStore(database),
    sessions: new SessionStore(database),
    apiTokens: new ApiTokenStore(database),
    audit: new AuditStore(database),
    loginThrottle: new LoginThrottleStore(database),
    notifications: new NotificationStore(database),
    reconciliation: new ReconciliationStore(database),
    requests: new RequestStore(database),
    directory: new DirectoryStore(database),
    jobs: new JobStore(database),
    orderSearch: new OrderSearchStore(database),
    provisioningReview: new ProvisioningReviewStore(database),
    transaction: (fn) => database.transaction((tx) => fn(createStores(tx))),
  };
}
