import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentPort } from '@ordo/core';
import {
  AppliedModelCache,
  applyConfiguration,
  type Clock,
  createAgentService,
  createStores,
  migrateToLatest,
  openDatabase,
  ProvisioningPipeline,
  readConfigurationFolder,
  type Stores,
  WorkSignal,
} from '@ordo/server';
import { yamlSettings } from './yaml-settings.ts';

/** Where the test configuration's connectors point: connection kind and settings per connector. */
export interface FixtureConnections {
  /** The HR source (exported, never fulfilled). */
  readonly hr: { kind: string; settings: Record<string, string | number | boolean> };
  /** The managed application (accounts and groups). */
  readonly app: { kind: string; settings: Record<string, string | number | boolean> };
  /** Options of the AppAccount resource type. */
  readonly appAccount?: { watchdogMinutes?: number; thresholds?: string };
  readonly hrSyncThresholds?: string;
  /** Badges' system is never synchronized: a confirmed ticket is Verified at once. */
  readonly badgesNeverSynchronized?: boolean;
  /** The agent serving HR and App (default: the embedded one). */
  readonly agent?: string;
}

/**
 * A small configuration for fulfilment tests: people from an HR connector get an application
 * account (login computed, key), a mail, a create-only title, and the `staff` group through a role;
 * people in Facilities also get a badge through manual tickets.
 */
export function writeFulfilmentConfiguration(connections: FixtureConnections): string {
  const folder = mkdtempSync(join(tmpdir(), 'ordo-fulfilment-config-'));
  writeFileSync(
    join(folder, 'ordo.yaml'),
    `entityTypes:
  Person:
    key: employeeId
    context: { start: contractStart, end: contractEnd }
    properties:
      employeeId: string
      firstName: string
      lastName: string
      department: string
      contractStart: date
      contractEnd: date
  Account:
    key: login
    properties:
      login: string
      mail: string
      displayName: string
      title: string
      groups: { target: Group, multiValued: true }
  Group:
    key: name
    properties:
      name: string
  Badge:
    key: badgeId
    properties:
      badgeId: string
      holder: string

connectors:
  HR:
    agent: ${connections.agent ?? 'local'}
    entityTypes: [Person]
    syncThresholds: ${connections.hrSyncThresholds ?? '{ maxInsertedPercent: 0, maxUpdatedPercent: 0, maxDeletedPercent: 50 }'}
    connections:
      HrSource:
        kind: ${connections.hr.kind}
        disabled: fulfil
        settings:
${yamlSettings(connections.hr.settings)}
  App:
    agent: ${connections.agent ?? 'local'}
    entityTypes: [Account, Group]
    connections:
      AppTarget:
        kind: ${connections.app.kind}
        settings:
${yamlSettings(connections.app.settings)}
  Facilities:
    entityTypes: [Badge]
    connections:
      FacilitiesTickets:
        kind: manual
        settings: { queue: facilities }

profiles:
  Monitoring:
    permissions: [/Monitoring/Metrics/Query]

singleRoles:
  Staff:
    entityType: Person
    rules:
      - when: identity.contractStart != null

resourceTypes:
  AppAccount:
    connector: App
    source: Person
    target: Account
    fulfil: { connection: AppTarget }
    approval: not_requestable
    allowRemove: true
    ${connections.appAccount?.watchdogMinutes !== undefined ? `watchdogMinutes: ${connections.appAccount.watchdogMinutes}` : ''}
    thresholds: ${connections.appAccount?.thresholds ?? '{ maxInsertPercent: 0, maxUpdatePercent: 0, maxDeletePercent: 50 }'}
    types:
      - when: identity.contractStart != null
    scalars:
      - property: login
        expression: unique(lower(simplify(identity.firstName) + "." + simplify(identity.lastName)))
        mapped: false
      - property: mail
        expression: lower(simplify(identity.firstName) + "." + simplify(identity.lastName)) + "@example.org"
        comparison: ignore_case
      - property: displayName
        expression: identity.firstName + " " + identity.lastName
      - property: title
        expression: '"Employee"'
        mapped: false
    navigations:
      - property: groups
        value: staff
        role: Staff
    correlations:
      - source: identity.employeeId
        target: resource.login
        confidence: 120
  FacilitiesBadge:
    connector: Facilities
    source: Person
    target: Badge
    fulfil: { connection: FacilitiesTickets, noSynchronization: ${connections.badgesNeverSynchronized === true} }
    approval: not_requestable
    types:
      - when: identity.department == "Facilities"
    scalars:
      - property: badgeId
        expression: '"B-" + identity.employeeId'
      - property: holder
        expression: identity.firstName + " " + identity.lastName
`,
  );
  return folder;
}

export interface FulfilmentServer {
  readonly stores: Stores;
  readonly pipeline: ProvisioningPipeline;
  readonly signal: WorkSignal;
  readonly models: AppliedModelCache;
  readonly port: AgentPort;
  readonly databasePath: string;
  /** PostgreSQL schema of this server's tables, when on PostgreSQL. */
  readonly schema: string | undefined;
  close(): Promise<void>;
}

/** A server side on a fresh SQLite file (or `databaseUrl`), with the configuration applied. */
export async function startFulfilmentServer(
  configFolder: string,
  options: { clock: Clock; leaseMs?: number; databaseUrl?: string; schema?: string; log?: (line: string) => void },
): Promise<FulfilmentServer> {
  const databasePath = options.databaseUrl ?? join(mkdtempSync(join(tmpdir(), 'ordo-fulfilment-')), 'ordo.sqlite');
  const database = await openDatabase({ url: databasePath, ...(options.schema ? { schema: options.schema } : {}) });
  await migrateToLatest(database);
  const stores = createStores(database);
  await applyConfiguration({ stores, clock: options.clock }, await readConfigurationFolder(configFolder), {
    kind: 'user',
    id: 'test',
  });
  const models = new AppliedModelCache(stores);
  const signal = new WorkSignal();
  const log = options.log ?? (() => {});
  const pipeline = new ProvisioningPipeline({ stores, clock: options.clock, newId: randomUUID, signal, models, log });
  const port = createAgentService(
    {
      stores,
      clock: options.clock,
      newId: randomUUID,
      signal,
      pipeline,
      models,
      leaseMs: options.leaseMs ?? 60_000,
      pollMs: 50,
    },
    'local',
  );
  return {
    stores,
    pipeline,
    signal,
    models,
    port,
    databasePath,
    schema: options.schema,
    close: () => database.close(),
  };
}

export const randomId = randomUUID;
