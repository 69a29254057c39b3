import { MemoryConnector, type MemorySystem, memorySystem } from '@ordo/connectors';
import { ProvisioningState } from '@ordo/core';
import { confirmManualOrder, reportManualError, systemClock, unblockOrders } from '@ordo/server';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningAgent, startAgent } from '../src/agent.ts';
import { runWorkItem } from '../src/run-work-item.ts';
import {
  type FulfilmentServer,
  startFulfilmentServer,
  writeFulfilmentConfiguration,
} from './support/fulfilment-fixture.ts';
import { people } from './support/people.ts';
import { waitFor } from './support/wait-for.ts';

/**
 * The fulfil → verify loop end to end in one process: HR export → synchronization → computation
 * → orders → agent → in-memory target with injected faults → read-back → Verified.
 */
describe('agent with the in-memory target', () => {
  let server: FulfilmentServer | undefined;
  let agent: RunningAgent | undefined;
  afterEach(async () => {
    await agent?.stop();
    await server?.close();
    agent = undefined;
    server = undefined;
  });

  async function start(options: {
    hrCount: number;
    department?: (i: number) => string;
    agent?: Partial<Parameters<typeof startAgent>[0]>;
  }) {
    const suffix = Math.random().toString(36).slice(2);
    const hr = memorySystem(`hr-${suffix}`);
    const app = memorySystem(`app-${suffix}`);
    app.put({ entityType: 'Group', key: 'staff', values: { name: 'staff' }, links: {} });
    for (const person of people(options.hrCount, options.department ? { department: options.department } : {}))
      hr.put(person);
    const folder = writeFulfilmentConfiguration({
      hr: { kind: 'memory', settings: { system: `hr-${suffix}` } },
      app: { kind: 'memory', settings: { system: `app-${suffix}` } },
    });
    server = await startFulfilmentServer(folder, { clock: systemClock });
    agent = await startAgent({
      port: server.port,
      exports: { enabled: true, intervalMs: null },
      backoff: { baseMs: 20, maxMs: 100 },
      breaker: { failures: 3, cooldownMs: 100, maxCooldownMs: 400 },
      leaseWaitMs: 200,
      ...options.agent,
    });
    return { hr, app, server, agent };
  }

  async function ordersIn(s: FulfilmentServer, state: number) {
    return s.stores.orders.list({ state: state as ProvisioningState, limit: 10_000 });
  }

  async function allVerified(s: FulfilmentServer, count: number) {
    const verified = await ordersIn(s, ProvisioningState.Verified);
    return verified.filter((o) => o.connector === 'App').length >= count;
  }

  it('creates every account with its group, verifies it by read-back, and a new computation changes nothing', async () => {
    const { app, server: s, agent: a } = await start({ hrCount: 40 });
    await waitFor('40 verified orders', () => allVerified(s, 40));
    expect(app.count('Account')).toBe(40);
    const ada = app.get('Account', 'ada0.lovelace');
    expect(ada?.values).toMatchObject({
      mail: 'ada0.lovelace@example.org',
      displayName: 'Ada0 Lovelace',
      title: 'Employee',
    });
    expect(ada?.links.groups).toEqual(['staff']);

    // The created account is now the owner's target: the next run finds nothing to do.
    const owner = await s.stores.assignments.get('rt:Person:E00000:AppAccount');
    expect(owner).toMatchObject({
      provisioningState: ProvisioningState.Verified,
      targetResourceId: 'Account:ada0.lovelace',
    });
    const login = await s.stores.assignments.get('rt:Person:E00000:AppAccount/s:login');
    expect(login).toMatchObject({ provisioningState: ProvisioningState.Executed }); // create only: not verifiable
    await s.stores.resources.markAllDirty('Person');
    await s.pipeline.request();
    expect(s.pipeline.lastRun).toMatchObject({ identities: 40, orders: 0 });
    expect(a.status().inFlight).toBe(0);
    expect(app.applied.filter((op) => op.kind === 'create')).toHaveLength(40);
  });

  it('a timeout after the target applied a create: read before retrying, no duplicate, Verified', async () => {
    const suffix = Math.random().toString(36).slice(2);
    const app = memorySystem(`app-pre-${suffix}`);
    app.armFault({ kind: 'timeout_after' }, { times: 5, matches: (op) => op.kind === 'create' });
    const { server: s } = await startWith(app, suffix, 5);
    await waitFor('5 verified orders', () => allVerified(s, 5));
    expect(app.count('Account')).toBe(5);
    expect(app.applied.filter((op) => op.kind === 'create')).toHaveLength(5);
    const order = (await ordersIn(s, ProvisioningState.Verified))[0];
    const timeline = await s.stores.ledger.byOrder(order?.id ?? '');
    expect(timeline.map((e) => e.event)).toContain('attempt_failed');
    expect(timeline.find((e) => e.event === 'attempt_failed')?.message).toMatch(/timeout, maybe applied/);
  });

  async function startWith(app: MemorySystem, suffix: string, count: number) {
    const hr = memorySystem(`hr-pre-${suffix}`);
    app.put({ entityType: 'Group', key: 'staff', values: { name: 'staff' }, links: {} });
    for (const person of people(count)) hr.put(person);
    const folder = writeFulfilmentConfiguration({
      hr: { kind: 'memory', settings: { system: `hr-pre-${suffix}` } },
      app: { kind: 'memory', settings: { system: `app-pre-${suffix}` } },
    });
    server = await startFulfilmentServer(folder, { clock: systemClock });
    agent = await startAgent({
      port: server.port,
      exports: { enabled: true, intervalMs: null },
      backoff: { baseMs: 20, maxMs: 100 },
      breaker: { failures: 3, cooldownMs: 100, maxCooldownMs: 400 },
      leaseWaitMs: 200,
    });
    return { server, agent };
  }

  it('a permanent error gives 3 Errored with the message; unblocking sends it again', async () => {
    const suffix = Math.random().toString(36).slice(2);
    const app = memorySystem(`app-pre-${suffix}`);
    app.armFault(
      { kind: 'schema', message: 'attribute mail: invalid syntax' },
      { times: 1, matches: (op) => op.kind === 'create' },
    );
    const { server: s } = await startWith(app, suffix, 3);
    const [errored] = await waitFor('an errored order', async () => {
      const found = await ordersIn(s, ProvisioningState.Errored);
      return found.length ? found : null;
    });
    await waitFor('2 verified orders', () => allVerified(s, 2));
    const assignment = await s.stores.assignments.get(errored?.assignedResourceTypeId ?? '');
    expect(assignment).toMatchObject({ provisioningState: ProvisioningState.Errored });
    expect(assignment && 'message' in assignment ? assignment.message : '').toMatch(
      /schema: attribute mail: invalid syntax/,
    );
    expect(
      await unblockOrders({ stores: s.stores, clock: systemClock }, [errored?.id ?? ''], { kind: 'user', id: 'alice' }),
    ).toEqual([errored?.id]);
    await waitFor('3 verified orders', () => allVerified(s, 3));
    expect(app.count('Account')).toBe(3);
  });

  it('an unreachable target opens the breaker, orders wait and all finish when it comes back', async () => {
    const suffix = Math.random().toString(36).slice(2);
    const app = memorySystem(`app-pre-${suffix}`);
    app.armFault({ kind: 'unreachable' }, { times: 1_000_000, matches: (op) => op.kind !== 'export' });
    const { server: s } = await startWith(app, suffix, 10);
    await waitFor('the breaker to open', () => agent?.status().breakers.App?.state !== 'closed');
    expect(await ordersIn(s, ProvisioningState.Errored)).toHaveLength(0);
    app.clearFaults();
    await waitFor('10 verified orders', () => allVerified(s, 10));
    expect(agent?.status().breakers.App?.state).toBe('closed');
    expect(app.count('Account')).toBe(10);
  });

  it('manual tickets: queued as Transmitted, confirmed to Executed, or errored with the message', async () => {
    const { server: s } = await start({ hrCount: 4, department: (i) => (i < 2 ? 'Facilities' : 'Engineering') });
    const manual = await waitFor('2 manual orders', async () => {
      const found = (await ordersIn(s, ProvisioningState.Transmitted)).filter((o) => o.connector === 'Facilities');
      return found.length === 2 ? found : null;
    });
    const { model } = await s.models.current();
    const deps = { stores: s.stores, clock: systemClock };
    const confirmed = await confirmManualOrder(deps, model, manual[0]?.id ?? '', { kind: 'user', id: 'bob' });
    expect(confirmed.state).toBe(ProvisioningState.Executed);
    const refused = await reportManualError(deps, model, manual[1]?.id ?? '', 'the badge printer is broken', {
      kind: 'user',
      id: 'bob',
    });
    expect(refused.state).toBe(ProvisioningState.Errored);
    const badge = await s.stores.assignments.get(refused.assignedResourceTypeId);
    expect(badge && 'message' in badge ? badge.message : '').toMatch(/reported by bob: the badge printer is broken/);
    await expect(
      confirmManualOrder(deps, model, manual[0]?.id ?? '', { kind: 'user', id: 'bob' }),
    ).rejects.toMatchObject({
      code: 'ORDER_TRANSITION_REFUSED',
    });
  });

  it('an HR change reaches the target: incremental export → sync → computation → Modified order → Verified', async () => {
    const { hr, app, server: s, agent: a } = await start({ hrCount: 3 });
    await waitFor('3 verified orders', () => allVerified(s, 3));
    const before = hr.get('Person', 'E00001');
    hr.put({ ...before!, values: { ...before!.values, firstName: 'Grace' } });
    await a.exportNow('incremental');
    await waitFor(
      'the new mail in the target',
      () => app.get('Account', 'ada1.lovelace')?.values.mail === 'grace.lovelace@example.org',
    );
    await waitFor('4 verified orders', () => allVerified(s, 4));
    const modified = (await ordersIn(s, ProvisioningState.Verified)).find((o) => o.changeType === 'modified');
    expect(modified?.scalars).toEqual({ mail: 'grace.lovelace@example.org', displayName: 'Grace Lovelace' });
  });

  it('the same order delivered twice changes the target once, and only the lease holder is heard', async () => {
    const suffix = Math.random().toString(36).slice(2);
    const hr = memorySystem(`hr-dup-${suffix}`);
    const app = memorySystem(`app-dup-${suffix}`);
    app.put({ entityType: 'Group', key: 'staff', values: { name: 'staff' }, links: {} });
    for (const person of people(1)) hr.put(person);
    const folder = writeFulfilmentConfiguration({
      hr: { kind: 'memory', settings: { system: `hr-dup-${suffix}` } },
      app: { kind: 'memory', settings: { system: `app-dup-${suffix}` } },
    });
    const s = await startFulfilmentServer(folder, { clock: systemClock, leaseMs: 1 });
    server = s;
    const exporter = await startAgent({
      port: { ...s.port, lease: async () => [] },
      exports: { enabled: true, intervalMs: null },
    });
    await exporter.exportNow('complete');
    await exporter.stop();
    await s.pipeline.request();
    const [first] = await s.port.lease({ max: 10, waitMs: 0 });
    expect(first).toBeDefined();
    // The lease ran out (1 ms): the order is offered again, marked maybe applied.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const [second] = await s.port.lease({ max: 10, waitMs: 0 });
    expect(second?.orderId).toBe(first?.orderId);
    expect(second?.maybeApplied).toBe(true);
    const connector = new MemoryConnector(app, ['Account', 'Group']);
    const options = { maxAttempts: 3, retryDelay: () => 10 };
    const late = await runWorkItem(connector, first!, options);
    const current = await runWorkItem(connector, second!, options);
    expect(app.applied.filter((op) => op.kind === 'create')).toHaveLength(1);
    const verdicts = await s.port.report([late.report, current.report]);
    expect(verdicts.map((v) => v.accepted)).toEqual([false, true]);
    expect(verdicts[0]?.reason).toMatch(/lease/);
    expect((await s.stores.orders.get(first!.orderId))?.state).toBe(ProvisioningState.Verified);
  });

  it('stopping drains the work in flight: every leased order is reported before stop resolves', async () => {
    const suffix = Math.random().toString(36).slice(2);
    const app = memorySystem(`app-pre-${suffix}`);
    app.armFault({ kind: 'delay', ms: 150 }, { times: 1_000, matches: (op) => op.kind === 'create' });
    const { server: s, agent: a } = await startWith(app, suffix, 12);
    await waitFor('orders in flight', () => a.status().inFlight > 0);
    await a.stop();
    agent = undefined;
    const transmitted = await s.stores.orders.getDispatched(
      (await ordersIn(s, ProvisioningState.Transmitted)).map((o) => o.id),
    );
    // Nothing is left leased to the stopped agent: what it started, it finished and reported.
    expect(transmitted.filter((d) => d.dispatch.leaseOwner !== null)).toEqual([]);
    expect(await ordersIn(s, ProvisioningState.Verified)).toHaveLength(app.count('Account'));
  });

  it('a connection that cannot be opened holds its orders back instead of failing them all', async () => {
    const suffix = Math.random().toString(36).slice(2);
    const hr = memorySystem(`hr-bad-${suffix}`);
    for (const person of people(5)) hr.put(person);
    const folder = writeFulfilmentConfiguration({
      hr: { kind: 'memory', settings: { system: `hr-bad-${suffix}` } },
      // The in-memory target needs "system": this connection cannot be opened.
      app: { kind: 'memory', settings: { sytem: `app-bad-${suffix}` } },
    });
    server = await startFulfilmentServer(folder, { clock: systemClock });
    const logs: string[] = [];
    agent = await startAgent({
      port: server.port,
      exports: { enabled: true, intervalMs: null },
      leaseWaitMs: 100,
      log: (l) => logs.push(l),
    });
    const s = server;
    await waitFor('orders generated', async () => (await ordersIn(s, ProvisioningState.Pending)).length === 5);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await ordersIn(s, ProvisioningState.Errored)).toEqual([]);
    expect(await ordersIn(s, ProvisioningState.Pending)).toHaveLength(5);
    expect(agent.status().breakers.App).toMatchObject({
      state: 'open',
      reason: expect.stringMatching(/setting "system"/),
    });
    expect(logs.some((l) => /connector App: cannot be opened/.test(l))).toBe(true);
  });
});
