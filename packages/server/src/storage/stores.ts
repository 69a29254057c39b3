import { AccountStore } from './account-store.ts';
import { AgentTokenStore } from './agent-token-store.ts';
import { ApiTokenStore } from './api-token-store.ts';
import { AssignmentStore } from './assignment-store.ts';
import { AuditStore } from './audit-store.ts';
import { ConfigVersionStore } from './config-version-store.ts';
import type { Database } from './database.ts';
import { GenerationRunStore } from './generation-run-store.ts';
import { LedgerStore } from './ledger-store.ts';
import { LoginThrottleStore } from './login-throttle-store.ts';
import { OrderStore } from './order-store.ts';
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
    transaction: (fn) => database.transaction((tx) => fn(createStores(tx))),
  };
}
