import type { ExportUpload, ObjectState, WorkItem } from '@ordo/core';
import { ProvisioningState } from '@ordo/core';
import { confirmManualOrder, fixedClock, resumeSynchronization, runWatchdog } from '@ordo/server';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FulfilmentServer,
  startFulfilmentServer,
  writeFulfilmentConfiguration,
} from './support/fulfilment-fixture.ts';
import { people } from './support/people.ts';

/**
 * The server side of fulfilment, driven through the agent protocol with a fixed clock: what an
 * agent uploads and reports, and what the server makes of it. No agent runs here; each test plays
 * the agent's part exactly.
 */
const postgresUrl = process.env.ORDO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
let schemas = 0;
const databases = [
  { name: 'SQLite', options: () => ({}) },
  // A schema per test in the machine's PostgreSQL: leases take rows FOR UPDATE SKIP LOCKED there.
  {
    name: 'PostgreSQL',
    options: () => ({ databaseUrl: postgresUrl, schema: `ordo_protocol_${process.pid}_${++schemas}` }),
  },
];

describe.each(databases)('fulfilment protocol on $name', (database) => {
  const clock = fixedClock('2026-11-28T09:00:00.000Z');
  let server: FulfilmentServer | undefined;
  afterEach(async () => {
    const schema = server?.schema;
    await server?.close();
    server = undefined;
    if (schema) await dropSchema(schema);
  });

  async function start(options: { hrSyncThresholds?: string; watchdogMinutes?: number } = {}) {
    clock.set('2026-11-28T09:00:00.000Z');
    const folder = writeFulfilmentConfiguration({
      hr: { kind: 'memory', settings: { system: 'protocol-hr' } },
      app: { kind: 'memory', settings: { system: 'protocol-app' } },
      ...(options.hrSyncThresholds ? { hrSyncThresholds: options.hrSyncThresholds } : {}),
      ...(options.watchdogMinutes !== undefined ? { appAccount: { watchdogMinutes: options.watchdogMinutes } } : {}),
    });
    server = await startFulfilmentServer(folder, { clock, leaseMs: 60_000, ...database.options() });
    return server;
  }

  const hrUpload = (
    objects: ObjectState[],
    mode: 'complete' | 'incremental' = 'complete',
    deletedKeys: string[] = [],
  ): ExportUpload => ({
    connector: 'HR',
    connection: 'HrSource',
    entityType: 'Person',
    mode,
    objects,
    deletedKeys,
    cookie: `c-${objects.length}-${deletedKeys.length}`,
  });
  const staff: ExportUpload = {
    connector: 'App',
    connection: 'AppTarget',
    entityType: 'Group',
    mode: 'complete',
    objects: [{ entityType: 'Group', key: 'staff', values: { name: 'staff' }, links: {} }],
    deletedKeys: [],
    cookie: null,
  };

  /** Synchronizes people, computes and generates: their orders are Pending. */
  async function withOrders(s: FulfilmentServer, count: number): Promise<WorkItem[]> {
    await s.port.upload(staff);
    await s.port.upload(hrUpload(people(count)));
    await s.pipeline.request();
    return s.port.lease({ max: 100, waitMs: 0 });
  }

  /** What the target would hold after a faithful create. */
  const created = (item: WorkItem, change: Record<string, unknown> = {}): ObjectState => {
    if (item.operation.kind !== 'create') throw new Error('not a create');
    return {
      entityType: 'Account',
      key: item.operation.key,
      values: { ...item.operation.values, ...change } as ObjectState['values'],
      links: item.operation.links,
    };
  };

  it('synchronizes a complete export, then only changes; an incremental one applies its deletions', async () => {
    const s = await start();
    expect(await s.port.upload(hrUpload(people(10)))).toMatchObject({
      status: 'completed',
      message: expect.stringMatching(/^10 inserted/),
    });
    expect((await s.port.upload(hrUpload(people(10)))).message).toMatch(
      /0 inserted, 0 updated, 0 deleted, 10 unchanged/,
    );
    const changed = people(10).map((p, i) => (i === 3 ? { ...p, values: { ...p.values, lastName: 'Hopper' } } : p));
    expect((await s.port.upload(hrUpload(changed))).message).toMatch(/0 inserted, 1 updated, 0 deleted/);
    expect((await s.port.upload(hrUpload(changed.slice(0, 9)))).message).toMatch(/1 deleted/);
    expect((await s.port.upload(hrUpload([], 'incremental', ['E00008']))).message).toMatch(/1 deleted/);
    expect(await s.stores.resources.count('Person')).toBe(8);
    expect(await s.port.exportCookie('HrSource', 'Person')).toBe('c-0-1');
  });

  it('refuses a mass deletion beyond the connector threshold until a person resumes it', async () => {
    const s = await start({ hrSyncThresholds: '{ maxDeletedPercent: 20 }' });
    await s.port.upload(hrUpload(people(10)));
    const blocked = await s.port.upload(hrUpload(people(5)));
    expect(blocked).toMatchObject({ status: 'blocked', message: expect.stringMatching(/5 deleted > 2/) });
    expect(await s.stores.resources.count('Person')).toBe(10);
    expect(await resumeSynchronization({ stores: s.stores }, 'HrSource', 'Person', 'alice')).toBe(true);
    expect(await s.port.upload(hrUpload(people(5)))).toMatchObject({ status: 'completed' });
    expect(await s.stores.resources.count('Person')).toBe(5);
    // The resume was for one run: the next mass deletion is blocked again.
    expect(await s.port.upload(hrUpload(people(1)))).toMatchObject({ status: 'blocked' });
  });

  it('an upload naming an unknown entity type or duplicate keys is refused whole', async () => {
    const s = await start();
    await expect(s.port.upload({ ...hrUpload(people(2)), entityType: 'Nope' })).rejects.toMatchObject({
      code: 'SYNC_INVALID',
    });
    const [a] = people(1);
    await expect(s.port.upload(hrUpload([a!, a!]))).rejects.toThrow(/duplicate key E00000/);
    expect(await s.stores.resources.count('Person')).toBe(0);
  });

  it('a read-back that disagrees gives 3 Errored with expected and found values', async () => {
    const s = await start();
    const [item] = await withOrders(s, 1);
    expect(item?.operation).toMatchObject({ kind: 'create', key: 'ada0.lovelace', values: { title: 'Employee' } });
    const [verdict] = await s.port.report([
      {
        orderId: item!.orderId,
        leaseToken: item!.leaseToken,
        outcome: 'executed',
        key: 'ada0.lovelace',
        changed: true,
        readBack: created(item!, { mail: 'someone.else@example.org' }),
      },
    ]);
    expect(verdict?.accepted).toBe(true);
    const assignment = await s.stores.assignments.get(`rt:Person:E00000:AppAccount`);
    expect(assignment).toMatchObject({
      provisioningState: ProvisioningState.Errored,
      message: 'verification failed: expected mail = "ada0.lovelace@example.org", found "someone.else@example.org"',
    });
  });

  it('refuses a report of another lease, and one for an order that moved on', async () => {
    const s = await start();
    const [item] = await withOrders(s, 1);
    const report = {
      orderId: item!.orderId,
      leaseToken: 'not-the-token',
      outcome: 'executed' as const,
      key: 'x',
      changed: true,
    };
    expect(await s.port.report([report])).toEqual([
      { orderId: item!.orderId, accepted: false, reason: 'the lease is no longer held by this agent' },
    ]);
    const good = { ...report, leaseToken: item!.leaseToken, readBack: created(item!) };
    expect((await s.port.report([good]))[0]?.accepted).toBe(true);
    expect((await s.port.report([good]))[0]).toMatchObject({
      accepted: false,
      reason: 'the order is in state 4, not 2',
    });
  });

  it('without a read-back the order stays 8 Executed, and the next synchronization verifies it', async () => {
    const s = await start();
    const [item] = await withOrders(s, 1);
    await s.port.report([
      {
        orderId: item!.orderId,
        leaseToken: item!.leaseToken,
        outcome: 'executed',
        key: 'ada0.lovelace',
        changed: true,
      },
    ]);
    expect((await s.stores.orders.get(item!.orderId))?.state).toBe(ProvisioningState.Executed);
    const sync = await s.port.upload({
      connector: 'App',
      connection: 'AppTarget',
      entityType: 'Account',
      mode: 'complete',
      objects: [created(item!)],
      deletedKeys: [],
      cookie: null,
    });
    expect(sync.message).toMatch(/1 orders verified/);
    expect((await s.stores.orders.get(item!.orderId))?.state).toBe(ProvisioningState.Verified);
    expect(await s.stores.assignments.get('rt:Person:E00000:AppAccount')).toMatchObject({
      targetResourceId: 'Account:ada0.lovelace',
    });
  });

  it('a retry keeps the order Transmitted until its next attempt time, then offers it again', async () => {
    const s = await start();
    const [item] = await withOrders(s, 1);
    const error = { message: 'connect ECONNREFUSED', kind: 'unreachable', applied: 'no' as const, retryable: true };
    await s.port.report([
      { orderId: item!.orderId, leaseToken: item!.leaseToken, outcome: 'retry', error, delayMs: 30_000 },
    ]);
    expect((await s.stores.orders.get(item!.orderId))?.state).toBe(ProvisioningState.Transmitted);
    expect(await s.port.lease({ max: 10, waitMs: 0 })).toEqual([]);
    clock.set('2026-11-28T09:00:31.000Z');
    const [again] = await s.port.lease({ max: 10, waitMs: 0 });
    expect(again).toMatchObject({ orderId: item!.orderId, attempt: 2, maybeApplied: false });
  });

  it('the watchdog turns an order silent for longer than watchdogMinutes to 3 Errored', async () => {
    const s = await start({ watchdogMinutes: 30 });
    const [item] = await withOrders(s, 1);
    const { model } = await s.models.current();
    clock.set('2026-11-28T09:29:00.000Z');
    expect(await runWatchdog({ stores: s.stores, clock }, model)).toBe(0);
    clock.set('2026-11-28T09:31:00.000Z');
    expect(await runWatchdog({ stores: s.stores, clock }, model)).toBe(1);
    expect(await s.stores.assignments.get('rt:Person:E00000:AppAccount')).toMatchObject({
      provisioningState: ProvisioningState.Errored,
      message: 'watchdog: no result after 30 minutes',
    });
    // The agent's late report is not heard: the lease went with the watchdog.
    const late = await s.port.report([
      { orderId: item!.orderId, leaseToken: item!.leaseToken, outcome: 'executed', key: 'k', changed: true },
    ]);
    expect(late[0]?.accepted).toBe(false);
  });

  it('manual tickets of a never-synchronized system are Verified once confirmed', async () => {
    clock.set('2026-11-28T09:00:00.000Z');
    const folder = writeFulfilmentConfiguration({
      hr: { kind: 'memory', settings: { system: 'protocol-hr' } },
      app: { kind: 'memory', settings: { system: 'protocol-app' } },
      badgesNeverSynchronized: true,
    });
    const s = await startFulfilmentServer(folder, { clock, leaseMs: 60_000, ...database.options() });
    server = s;
    await s.port.upload(hrUpload(people(2, { department: () => 'Facilities' })));
    await s.pipeline.request();
    const tickets = await s.stores.orders.list({
      state: ProvisioningState.Transmitted,
      connector: 'Facilities',
      limit: 10,
    });
    expect(tickets).toHaveLength(2);
    expect(tickets.map((t) => t.scalars).sort((a, b) => String(a.badgeId).localeCompare(String(b.badgeId)))).toEqual([
      { badgeId: 'B-E00000', holder: 'Ada0 Lovelace' },
      { badgeId: 'B-E00001', holder: 'Ada1 Lovelace' },
    ]);
    // No agent ever sees them: they are a person's work.
    expect((await s.port.lease({ max: 100, waitMs: 0 })).filter((i) => i.connector === 'Facilities')).toEqual([]);
    const { model } = await s.models.current();
    const confirmed = await confirmManualOrder({ stores: s.stores, clock }, model, tickets[0]?.id ?? '', {
      kind: 'user',
      id: 'bob',
    });
    expect(confirmed.state).toBe(ProvisioningState.Verified);
    const badge = await s.stores.assignments.get(confirmed.assignedResourceTypeId);
    expect(badge).toMatchObject({ provisioningState: ProvisioningState.Verified });
  });
});

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}
