import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, startApiFixture } from './api-fixture.ts';

const base = '/api/manual-provisioning/Person';

describe.each(['sqlite', 'postgres'] as const)('manual provisioning on %s', (dialect) => {
  let fixture: ApiFixture;
  let transmitted: string[];

  beforeAll(async () => {
    fixture = await startApiFixture({ dialect });
    // The pipeline hands the generated Badge orders (manual ticket connection) to the manual queue.
    await fixture.runtime.pipeline.request();
    const rows = await fixture.stores.database.db
      .selectFrom('orders')
      .select(['id', 'state'])
      .where('resource_type_id', '=', 'Badge')
      .orderBy('id')
      .execute();
    transmitted = rows.filter((r) => r.state === 2).map((r) => r.id);
  }, 60_000);
  afterAll(() => fixture?.close());

  const stateOf = async (id: string) =>
    (await fixture.stores.database.db.selectFrom('orders').select('state').where('id', '=', id).executeTakeFirst())
      ?.state;
  const auditOf = (id: string) => fixture.stores.audit.list({ targetKind: 'order', targetId: id, limit: 10 });

  it('lists Transmitted Badge orders with the values to create and their owner, newest first, paged', async () => {
    expect(transmitted.length).toBeGreaterThanOrEqual(8);
    const client = await fixture.as('resources');
    const answer = await client.get(`${base}?limit=2`);
    expect(answer.statusCode).toBe(200);
    const page = answer.json();
    expect(page.items).toHaveLength(2);
    const [first] = page.items;
    expect(first).toMatchObject({ resourceTypeId: 'Badge', connector: 'Facilities', state: 2, changeType: 'added' });
    expect(first.scalars.badgeId).toMatch(/^B-E\d{5}$/);
    expect(first.ownerKey).toBe(first.scalars.badgeId.slice(2));
    expect(first.dispatch.transmittedAt).not.toBeNull();
    expect(first.dispatch).not.toHaveProperty('leaseToken');
    expect(page.nextCursor).toEqual(expect.any(String));
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const next = await client.get(`${base}?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...next.json().items.map((o: { id: string }) => o.id));
      cursor = next.json().nextCursor;
    } while (cursor);
    expect([...all].sort()).toEqual([...transmitted].sort());
    expect(new Set(all).size).toBe(all.length);
  });

  it('confirms one order → 4 Verified (the Badge system is never synchronized), audited', async () => {
    const client = await fixture.as('resources');
    const id = transmitted[0] as string;
    const answer = await client.post(`${base}/${id}/confirm`);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ orders: [{ orderId: id, state: 4 }] });
    expect(await stateOf(id)).toBe(4);
    const [audit] = await auditOf(id);
    expect(audit).toMatchObject({ actor: 'account:resources', action: 'manual_order.confirmed', after: { state: 4 } });
    // Confirming again: the order is no longer Transmitted.
    const again = await client.post(`${base}/${id}/confirm`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ORDER_NOT_TRANSMITTED');
    expect(await auditOf(id)).toHaveLength(1);
  });

  it('reports an error → 3 Errored with the message', async () => {
    const client = await fixture.as('resources');
    const id = transmitted[1] as string;
    const answer = await client.post(`${base}/${id}/error`, { message: 'badge printer out of order' });
    expect(answer.statusCode).toBe(200);
    expect(answer.json().orders[0].state).toBe(3);
    const [order] = await fixture.stores.orders.getDispatched([id]);
    expect(order?.dispatch.lastError).toMatchObject({ kind: 'manual' });
    expect(order?.dispatch.lastError?.message).toContain('badge printer out of order');
    const blank = await client.post(`${base}/${transmitted[2]}/error`, { message: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(await stateOf(transmitted[2] as string)).toBe(2);
  });

  it('bulk confirm is all or nothing: one bad id changes nothing; all good ids move together', async () => {
    const client = await fixture.as('resources');
    const good = [transmitted[2], transmitted[3]] as string[];
    const mixed = await client.post(`${base}/confirm`, { orderIds: [...good, transmitted[0]] });
    expect(mixed.statusCode).toBe(409);
    expect(mixed.json().code).toBe('ORDER_NOT_TRANSMITTED');
    expect(mixed.json().errors).toEqual([{ path: 'orderIds.2', message: 'state 4' }]);
    const unknown = await client.post(`${base}/confirm`, { orderIds: [...good, 'no-such-order'] });
    expect(unknown.statusCode).toBe(404);
    for (const id of good) expect(await stateOf(id)).toBe(2);

    const ok = await client.post(`${base}/confirm`, { orderIds: good });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().orders.map((o: { state: number }) => o.state)).toEqual([4, 4]);
    for (const id of good) expect(await stateOf(id)).toBe(4);
  });

  it('bulk error report moves every order to 3 Errored', async () => {
    const client = await fixture.as('resources');
    const ids = [transmitted[4], transmitted[5]] as string[];
    const answer = await client.post(`${base}/error`, { orderIds: ids, message: 'site closed' });
    expect(answer.statusCode).toBe(200);
    for (const id of ids) expect(await stateOf(id)).toBe(3);
    expect((await auditOf(ids[0] as string))[0]).toMatchObject({
      action: 'manual_order.error_reported',
      detail: 'site closed',
    });
  });

  it('two people confirming the same order at once: one wins, the other gets 409, recorded once', async () => {
    const id = transmitted[6] as string;
    expect(await stateOf(id)).toBe(2);
    const [a, b] = await Promise.all([fixture.as('resources'), fixture.as('admin')]);
    const answers = await Promise.all([a.post(`${base}/${id}/confirm`), b.post(`${base}/${id}/confirm`)]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(await auditOf(id)).toHaveLength(1);
  });

  it('does not show or act on orders through another entity type, and checks permissions', async () => {
    const admin = await fixture.as('admin');
    const id = transmitted.at(-1) as string;
    // LdapAccount is an entity type, but no manual resource type has LdapAccount owners.
    expect((await admin.get('/api/manual-provisioning/LdapAccount')).json().items).toEqual([]);
    const wrong = await admin.post(`/api/manual-provisioning/LdapAccount/${id}/confirm`);
    expect(wrong.statusCode).toBe(404);
    expect((await admin.get('/api/manual-provisioning/Nope')).statusCode).toBe(404);
    // An LDAP order is fulfilled by an agent, not on this screen.
    const ldap = await fixture.stores.database.db
      .selectFrom('orders')
      .select('id')
      .where('resource_type_id', '=', 'LdapAccount')
      .executeTakeFirstOrThrow();
    expect((await admin.post(`${base}/${ldap.id}/confirm`)).statusCode).toBe(404);

    const officer = await fixture.as('officer');
    expect((await officer.get(base)).statusCode).toBe(403);
    const user = await fixture.as('user');
    expect((await user.post(`${base}/confirm`, { orderIds: [id] })).statusCode).toBe(403);
    expect((await admin.post(`${base}/confirm`, { orderIds: [] })).statusCode).toBe(400);
    expect((await admin.post(`${base}/confirm`, { orderIds: [id], extra: 1 })).statusCode).toBe(400);
  });
});
