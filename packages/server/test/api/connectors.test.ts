import { ProvisioningState } from '@ordo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, startApiFixture } from './api-fixture.ts';

describe.each(['sqlite', 'postgres'] as const)('connectors and agents API (%s)', (dialect) => {
  let fixture: ApiFixture;
  beforeAll(async () => {
    fixture = await startApiFixture({ dialect });
  });
  afterAll(() => fixture.close());

  it('lists connectors with queue depth, oldest pending age and orders by state, never setting values', async () => {
    const model = (await fixture.runtime.models.current()).model;
    const resources = await fixture.as('resources');
    const answer = await resources.get('/api/connectors');
    expect(answer.statusCode).toBe(200);
    const connectors: {
      id: string;
      agent: string;
      queueDepth: number;
      oldestPendingAgeSeconds: number | null;
      ordersByState: Record<string, number>;
      connections: { id: string; kind: string; settingNames: string[] }[];
    }[] = answer.json();
    expect(connectors.map((c) => c.id)).toEqual(Object.keys(model.connectors).sort());

    const counts = await fixture.stores.orders.countByConnectorAndState();
    for (const connector of connectors) {
      const mine = counts.filter((c) => c.connector === connector.id);
      const depth = mine
        .filter((c) => c.state === ProvisioningState.Pending || c.state === ProvisioningState.Transmitted)
        .reduce((n, c) => n + c.count, 0);
      expect(connector.queueDepth).toBe(depth);
      expect(connector.ordersByState).toEqual(Object.fromEntries(mine.map((c) => [String(c.state), c.count])));
    }
    const directory = connectors.find((c) => c.id === 'Directory');
    expect(directory?.queueDepth).toBeGreaterThan(0);
    expect(directory?.connections[0]).toMatchObject({ id: 'DirectoryLdap', kind: 'ldap' });
    expect(directory?.connections[0]?.settingNames).toContain('bindPassword');

    // Advance the clock: the oldest pending order ages.
    const oldest = (await fixture.stores.orders.oldestByConnector(ProvisioningState.Pending)).find(
      (o) => o.connector === 'Directory',
    );
    if (oldest) {
      fixture.clock.set(new Date(Date.parse(oldest.createdAt) + 90_000).toISOString());
      const later = (await resources.get('/api/connectors')).json();
      expect(later.find((c: { id: string }) => c.id === 'Directory').oldestPendingAgeSeconds).toBe(90);
    }

    // No setting value of any connection appears in the answer: neither as a value, nor inside one.
    const answered = new Set<string>();
    const collect = (value: unknown): void => {
      if (typeof value === 'string') answered.add(value);
      else if (value && typeof value === 'object') for (const v of Object.values(value)) collect(v);
    };
    collect(answer.json());
    let scanned = 0;
    for (const connector of Object.values(model.connectors)) {
      for (const connection of Object.values(connector.connections)) {
        for (const value of Object.values(connection.settings)) {
          if (value === null || typeof value === 'boolean' || typeof value === 'number') continue;
          const text = typeof value === 'string' ? value : 'env' in value ? value.env : value.file;
          scanned++;
          expect(answered.has(text), `setting value ${text}`).toBe(false);
          if (text.length >= 10) expect(answer.body, `setting value ${text}`).not.toContain(text);
        }
      }
    }
    expect(scanned).toBeGreaterThan(5);
  });

  it('shows the last status and breakers an agent sent', async () => {
    const model = (await fixture.runtime.models.current()).model;
    const agentName = model.connectors.Directory?.agent ?? 'local';
    await fixture.runtime
      .agentService(agentName)
      .status({ inFlight: 3, breakers: { Directory: { state: 'open', reason: 'connection refused' } } });
    const admin = await fixture.as('admin');
    const connectors = (await admin.get('/api/connectors')).json();
    const directory = connectors.find((c: { id: string }) => c.id === 'Directory');
    // Agents break per connector (all its connections wait together), and report by connector id.
    expect(directory.breaker).toEqual({ state: 'open', reason: 'connection refused' });
    expect(connectors.find((c: { id: string }) => c.id === 'HR').breaker).toBeNull();
    expect(directory.agentLastSeenAt).not.toBeNull();
    const agents = (await admin.get('/api/agents')).json();
    const agent = agents.find((a: { agent: string }) => a.agent === agentName);
    expect(agent).toMatchObject({ lastStatus: { inFlight: 3 }, liveTokens: 0 });
    expect(agent.connectors).toContain('Directory');
  });

  it('creates an agent token shown once that the agent routes accept, and revokes it', async () => {
    const model = (await fixture.runtime.models.current()).model;
    const agentName = model.connectors.Directory?.agent ?? 'local';
    const admin = await fixture.as('admin');
    const created = await admin.post(`/api/agents/${agentName}/tokens`);
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^ordo_agent_/);
    expect(await fixture.stores.agentTokens.agentOf(token)).toBe(agentName);
    const agents = await admin.get('/api/agents');
    expect(agents.body).not.toContain(token);
    expect(agents.json().find((a: { agent: string }) => a.agent === agentName).liveTokens).toBe(1);

    expect((await admin.post('/api/agents/unknown-agent/tokens')).statusCode).toBe(404);
    expect((await admin.request('DELETE', `/api/agents/other/tokens/${id}`)).statusCode).toBe(404);
    const revoked = await admin.request('DELETE', `/api/agents/${agentName}/tokens/${id}`);
    expect(revoked.statusCode).toBe(200);
    expect(await fixture.stores.agentTokens.agentOf(token)).toBeUndefined();
    const audit = await fixture.stores.audit.list({ targetKind: 'agent', limit: 10 });
    expect(audit.map((a) => a.action).sort()).toEqual(['agent_token.created', 'agent_token.revoked']);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('needs the connector rights', async () => {
    const officer = await fixture.as('officer');
    expect((await officer.get('/api/connectors')).statusCode).toBe(403);
    expect((await officer.get('/api/agents')).statusCode).toBe(403);
    const resources = await fixture.as('resources');
    expect((await resources.post('/api/agents/local/tokens')).statusCode).toBe(403);
  });
});
