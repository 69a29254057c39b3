import { memorySystem } from '@ordo/connectors';
import { ProvisioningState } from '@ordo/core';
import {
  createOrdoRuntime,
  createStores,
  migrateToLatest,
  type OrdoRuntime,
  openDatabase,
  systemClock,
} from '@ordo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningAgent, startAgent } from '../src/agent.ts';
import { createHttpAgentPort } from '../src/http-agent-port.ts';
import { startFulfilmentServer, writeFulfilmentConfiguration } from './support/fulfilment-fixture.ts';
import { people } from './support/people.ts';
import { waitFor } from './support/wait-for.ts';

/** A remote agent over HTTP with a token: the same loop as the embedded one, through the API. */
describe('remote agent over HTTP', () => {
  const suffix = Math.random().toString(36).slice(2);
  const app = memorySystem(`http-app-${suffix}`);
  const hr = memorySystem(`http-hr-${suffix}`);
  let runtime: OrdoRuntime;
  let stores: ReturnType<typeof createStores>;
  let agent: RunningAgent;
  let url: string;
  let token: string;
  let metricsToken: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    app.put({ entityType: 'Group', key: 'staff', values: { name: 'staff' }, links: {} });
    for (const person of people(20)) hr.put(person);
    const folder = writeFulfilmentConfiguration({
      hr: { kind: 'memory', settings: { system: `http-hr-${suffix}` } },
      app: { kind: 'memory', settings: { system: `http-app-${suffix}` } },
      agent: 'branch-office',
    });
    const seeded = await startFulfilmentServer(folder, { clock: systemClock });
    await seeded.close();
    const database = await openDatabase({ url: seeded.databasePath });
    await migrateToLatest(database);
    stores = createStores(database);
    token = `t-${suffix}`;
    metricsToken = `pat-${suffix}`;
    await stores.agentTokens.create({ id: 'tok1', agent: 'branch-office', token, at: systemClock.now() });
    await stores.agentTokens.create({
      id: 'tok2',
      agent: 'elsewhere',
      token: `other-${suffix}`,
      at: systemClock.now(),
    });
    // Prometheus scrapes with the API token of an account holding the metrics permission.
    await stores.accounts.create({
      id: 'a1',
      login: 'prometheus',
      displayName: 'Prometheus',
      profiles: ['Monitoring'],
      at: systemClock.now(),
    });
    await stores.apiTokens.create({
      id: 'pat1',
      accountId: 'a1',
      name: 'scrape',
      token: metricsToken,
      at: systemClock.now(),
    });
    runtime = await createOrdoRuntime({ stores, clock: systemClock, log: () => {} });
    url = await runtime.app.listen({ port: 0, host: '127.0.0.1' });
    close = async () => {
      await runtime.close();
      await database.close();
    };
  });
  afterAll(async () => {
    await agent?.stop();
    await close?.();
  });

  it('refuses calls without a valid token, as problem+json', async () => {
    const response = await fetch(`${url}/api/agent/configuration`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await response.json()).toMatchObject({ code: 'AGENT_UNAUTHENTICATED' });
  });

  it('an agent with a refused token stops at once instead of asking forever', async () => {
    await expect(startAgent({ port: createHttpAgentPort({ serverUrl: url, token: 'wrong' }) })).rejects.toMatchObject({
      status: 401,
    });
  });

  it('an agent sees only its own connectors', async () => {
    const mine = await createHttpAgentPort({ serverUrl: url, token }).configuration();
    expect(mine.connectors.map((c) => c.id).sort()).toEqual(['App', 'HR']);
    const other = await createHttpAgentPort({ serverUrl: url, token: `other-${suffix}` }).configuration();
    expect(other.connectors).toEqual([]);
    expect(
      await createHttpAgentPort({ serverUrl: url, token: `other-${suffix}` }).lease({ max: 10, waitMs: 0 }),
    ).toEqual([]);
  });

  it('rejects malformed bodies with every bad field, and never answers 500', async () => {
    const post = (path: string, body: string) =>
      fetch(`${url}/api/agent${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
    const bad = await post('/lease', JSON.stringify({ max: 0, waitMs: -1, extra: true }));
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { code: string; errors: { path: string }[] };
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['(body)', 'max', 'waitMs']);
    for (const body of ['{', 'null', '[]', '"x"', '{"reports":[{"outcome":"executed"}]}', '{"reports":"no"}']) {
      const response = await post('/reports', body);
      expect(response.status, body).toBeGreaterThanOrEqual(400);
      expect(response.status, body).toBeLessThan(500);
    }
    const upload = await post(
      '/exports',
      JSON.stringify({
        connector: 'App',
        connection: 'AppTarget',
        entityType: 'Nope',
        mode: 'complete',
        objects: [],
        deletedKeys: [],
        cookie: null,
      }),
    );
    expect(upload.status).toBe(422);
  });

  it('runs the whole loop through the API: exports, orders, read-back, Verified', async () => {
    agent = await startAgent({
      port: createHttpAgentPort({ serverUrl: url, token }),
      exports: { enabled: true, intervalMs: null },
      leaseWaitMs: 500,
    });
    await waitFor('20 verified orders', async () => {
      const verified = await stores.orders.list({ state: ProvisioningState.Verified, limit: 1000 });
      return verified.length >= 20;
    });
    expect(app.count('Account')).toBe(20);
    const order = (await stores.orders.list({ state: ProvisioningState.Verified, limit: 1 }))[0];
    const timeline = await stores.ledger.byOrder(order?.id ?? '');
    expect(timeline.some((e) => e.cause.kind === 'agent' && e.cause.id === 'branch-office')).toBe(true);
  });

  it("serves Prometheus metrics: orders by state, latencies, and the agents' breakers", async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('ordo_orders{connector="App",state="4"} 20');
    expect(text).toContain('ordo_order_created_to_verified_seconds_count{connector="App"} 20');
    expect(text).toContain('ordo_order_execution_seconds_count{connector="App"} 20');
    expect(text).toMatch(/ordo_agent_breaker_open\{agent="branch-office",connector="App"\} 0/);
    expect(text).toMatch(/ordo_agent_last_seen_seconds\{agent="branch-office"\} \d/);
    expect(text).not.toMatch(/ordo_queue_depth\{connector="App"\} [1-9]/);
  });
});
