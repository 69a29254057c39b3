import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, startApiFixture } from './api-fixture.ts';

describe.each(['sqlite', 'postgres'] as const)('audit log API (%s)', (dialect) => {
  let fixture: ApiFixture;
  beforeAll(async () => {
    fixture = await startApiFixture({ dialect, generate: false });
    const entries = Array.from({ length: 250 }, (_, i) => ({
      at: new Date(Date.parse('2026-11-01T00:00:00.000Z') + i * 3_600_000).toISOString(),
      actor: i % 2 === 0 ? 'account:even' : 'account:odd',
      action: i % 5 === 0 ? 'test.fifth' : 'test.other',
      targetKind: 'thing',
      targetId: `thing-${i % 10}`,
      before: { i },
      after: { i: i + 1 },
    }));
    await fixture.stores.audit.record(...entries);
  });
  afterAll(() => fixture.close());

  const allAudit = () => fixture.stores.database.db.selectFrom('audit_log').selectAll().orderBy('id').execute();

  it('pages newest first with an id cursor, through every record exactly once', async () => {
    const admin = await fixture.as('admin');
    const seen: number[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const answer = await admin.get(
        `/api/audit?action=test.other&limit=60${cursor === null ? '' : `&before=${cursor}`}`,
      );
      expect(answer.statusCode).toBe(200);
      const page: { items: { id: number; action: string }[]; nextBefore: number | null } = answer.json();
      expect(page.items.every((r) => r.action === 'test.other')).toBe(true);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextBefore;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(seen).toHaveLength(200);
    expect(new Set(seen).size).toBe(200);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    expect(pages).toBe(4);
  });

  it('filters by actor, target and time window, with before and after', async () => {
    const admin = await fixture.as('admin');
    const answer = await admin.get(
      '/api/audit?actor=account:even&targetKind=thing&targetId=thing-4&since=2026-11-02T00:00:00Z&until=2026-11-05T00:00:00Z&limit=500',
    );
    expect(answer.statusCode).toBe(200);
    const items: { at: string; actor: string; targetId: string; before: { i: number }; after: { i: number } }[] =
      answer.json().items;
    // Hours 24..95 whose index ends in 4 and is even: 24, 34, …, 94.
    expect(items.map((r) => r.before.i).sort((a, b) => a - b)).toEqual([24, 34, 44, 54, 64, 74, 84, 94]);
    expect(items.every((r) => r.actor === 'account:even' && r.after.i === r.before.i + 1)).toBe(true);
    expect(answer.json().nextBefore).toBeNull();
  });

  it('refuses bad filters and page sizes with every bad field, and people without the right', async () => {
    const admin = await fixture.as('admin');
    const bad = await admin.get('/api/audit?limit=501&since=yesterday&before=-3');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.length).toBeGreaterThanOrEqual(3);
    const reversed = await admin.get('/api/audit?since=2026-11-05T00:00:00Z&until=2026-11-01T00:00:00Z');
    expect(reversed.statusCode).toBe(400);
    expect((await (await fixture.as('officer')).get('/api/audit')).statusCode).toBe(403);
    expect((await (await fixture.as('resources')).get('/api/audit')).statusCode).toBe(403);
  });

  it('is append-only: no route changes or deletes it', async () => {
    const auditRoutes = fixture.runtime.routes.filter((r) => r.url.includes('audit'));
    expect(auditRoutes.map((r) => r.method)).toEqual(['GET']);
    const admin = await fixture.as('admin');
    const before = await allAudit();
    for (const method of ['DELETE', 'PATCH', 'PUT', 'POST'] as const) {
      for (const url of ['/api/audit', `/api/audit/${before[0]?.id}`]) {
        const answer = await admin.request(method, url, {});
        expect(answer.statusCode, `${method} ${url}`).toBe(404);
      }
    }
    expect(await allAudit()).toEqual(before);
  });

  it('a refused or failed change writes no audit line', async () => {
    const admin = await fixture.as('admin');
    const created = await admin.post('/api/accounts/account-user/tokens', { name: 'once' });
    expect(created.statusCode).toBe(201);
    const tokenId = created.json().id;
    expect((await admin.request('DELETE', `/api/accounts/account-user/tokens/${tokenId}`)).statusCode).toBe(200);
    const before = await allAudit();
    // Revoking twice fails inside the transaction; a forbidden, an invalid and a not-found change too.
    expect((await admin.request('DELETE', `/api/accounts/account-user/tokens/${tokenId}`)).statusCode).toBe(409);
    expect((await (await fixture.as('officer')).post('/api/accounts', { login: 'x' })).statusCode).toBe(403);
    expect((await admin.post('/api/accounts', { login: 'zed', displayName: 'Z', profiles: ['Nope'] })).statusCode).toBe(
      400,
    );
    expect((await admin.request('PATCH', '/api/accounts/ghost', { displayName: 'G' })).statusCode).toBe(404);
    expect((await admin.post('/api/agents/nobody-agent/tokens')).statusCode).toBe(404);
    // Signing in (the calls of `as` above) writes session lines; nothing else may appear.
    const added = (await allAudit()).slice(before.length);
    expect(added.map((r) => r.action).filter((a) => a !== 'session.signed_in')).toEqual([]);
  });
});
