import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, startApiFixture } from './api-fixture.ts';
import { erroredLdapOrders } from './errored-orders.ts';

describe.each(['sqlite', 'postgres'] as const)('orders and the errors inbox on %s', (dialect) => {
  let fixture: ApiFixture;
  let rejected: string[];
  let unreachable: string[];
  let manualErrors: string[];

  beforeAll(async () => {
    fixture = await startApiFixture({ dialect });
    await fixture.runtime.pipeline.request();
    // Errors of three kinds on two connectors: the directory refused two orders and was
    // unreachable for one (agent reports), and a person could not do two badges (manual reports).
    rejected = await erroredLdapOrders(fixture, 2, 'rejected');
    unreachable = await erroredLdapOrders(fixture, 1, 'unreachable');
    const badges = await fixture.stores.database.db
      .selectFrom('orders')
      .select('id')
      .where('resource_type_id', '=', 'Badge')
      .where('state', '=', 2)
      .orderBy('id')
      .limit(2)
      .execute();
    manualErrors = badges.map((b) => b.id);
    const resources = await fixture.as('resources');
    const reported = await resources.post('/api/manual-provisioning/Person/error', {
      orderIds: manualErrors,
      message: 'no blank badges left',
    });
    expect(reported.statusCode).toBe(200);
  }, 60_000);
  afterAll(() => fixture?.close());

  const statesOf = async (ids: readonly string[]) =>
    (await fixture.stores.orders.getDispatched(ids)).map((d) => d.order.state);

  it('searches by state, connector, resource type, owner and time, newest first with a cursor', async () => {
    const client = await fixture.as('resources');
    const errored = await client.get('/api/orders?state=3');
    expect(errored.statusCode).toBe(200);
    expect(
      errored
        .json()
        .items.map((o: { id: string }) => o.id)
        .sort(),
    ).toEqual([...rejected, ...unreachable, ...manualErrors].sort());
    const directory = (await client.get('/api/orders?state=3&connector=Directory')).json().items;
    expect(directory.map((o: { id: string }) => o.id).sort()).toEqual([...rejected, ...unreachable].sort());
    const badges = (await client.get('/api/orders?resourceType=Badge&state=2,3&limit=500')).json().items;
    expect(badges.every((o: { resourceTypeId: string }) => o.resourceTypeId === 'Badge')).toBe(true);
    expect(badges.length).toBeGreaterThan(2);

    const all: { id: string; createdAt: string; ownerId: string }[] = [];
    let cursor: string | null = null;
    do {
      const answer = await client.get(`/api/orders?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.statusCode).toBe(200);
      all.push(...answer.json().items);
      cursor = answer.json().nextCursor;
    } while (cursor);
    const total = await fixture.stores.database.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(all).toHaveLength(Number(total.n));
    expect(new Set(all.map((o) => o.id)).size).toBe(all.length);
    const times = all.map((o) => o.createdAt);
    expect(times).toEqual([...times].sort().reverse());

    const owner = all[0]?.ownerId as string;
    const mine = (await client.get(`/api/orders?owner=${encodeURIComponent(owner)}`)).json().items;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((o: { ownerId: string }) => o.ownerId === owner)).toBe(true);
    const future = await client.get('/api/orders?createdFrom=2030-01-01T00:00:00Z');
    expect(future.json().items).toEqual([]);
    const past = (await client.get('/api/orders?createdTo=2030-01-01T00:00:00Z&limit=1')).json();
    expect(past.items).toHaveLength(1);

    expect((await client.get('/api/orders?state=9')).statusCode).toBe(400);
    expect((await client.get('/api/orders?limit=501')).statusCode).toBe(400);
    expect((await client.get('/api/orders?cursor=garbage')).statusCode).toBe(400);
    expect((await client.get('/api/orders?createdFrom=yesterday')).statusCode).toBe(400);
  });

  it('documents the order, review and manual provisioning routes in the OpenAPI document', async () => {
    const answer = await fixture.anonymous('GET', '/api/openapi.json');
    expect(answer.statusCode).toBe(200);
    const paths = Object.keys(answer.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/orders',
        '/api/orders/errors',
        '/api/orders/errors/retry',
        '/api/orders/{id}',
        '/api/provisioning-review/{entityType}',
        '/api/provisioning-review/{entityType}/resources/{assignedResourceTypeId}/decision',
        '/api/manual-provisioning/{entityType}/{orderId}/confirm',
      ]),
    );
  });

  it('answers every route of these screens without a 500, for empty bodies and unknown ids', async () => {
    const admin = await fixture.as('admin');
    const mine = fixture.runtime.routes.filter((r) =>
      /^\/api\/(orders|provisioning-review|manual-provisioning)(\/|$)/.test(r.url),
    );
    expect(mine).toHaveLength(15);
    for (const route of mine) {
      for (const entityType of ['Person', 'LdapAccount', 'Nope']) {
        const url = route.url.replace(/:(\w+)/g, (_, name: string) =>
          name === 'entityType' ? entityType : 'unknown-id',
        );
        for (const body of route.method === 'GET' ? [undefined] : [{}, { orderIds: ['unknown-id'] }, []]) {
          const answer = await admin.request(route.method as 'GET', url, body);
          expect(answer.statusCode, `${route.method} ${url} ${JSON.stringify(body)}: ${answer.body}`).toBeLessThan(500);
        }
      }
    }
  });

  it('shows one order with its timeline', async () => {
    const client = await fixture.as('resources');
    const id = manualErrors[0] as string;
    const answer = await client.get(`/api/orders/${id}`);
    expect(answer.statusCode).toBe(200);
    const { order, timeline } = answer.json();
    expect(order).toMatchObject({ id, state: 3, resourceTypeId: 'Badge', dispatch: { lastError: { kind: 'manual' } } });
    const events = timeline.map((e: { event: string }) => e.event);
    expect(events).toEqual(expect.arrayContaining(['computed_missing', 'handed_off', 'manual_error_reported']));
    const missing = await client.get('/api/orders/no-such-order');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('ORDER_NOT_FOUND');
  });

  it('groups errored orders by connector and error kind, with counts and examples', async () => {
    const client = await fixture.as('resources');
    const answer = await client.get('/api/orders/errors?examples=1');
    expect(answer.statusCode).toBe(200);
    const { groups, total, truncated } = answer.json();
    expect(total).toBe(5);
    expect(truncated).toBe(false);
    const summary = groups.map((g: { connector: string; kind: string; count: number }) => [
      g.connector,
      g.kind,
      g.count,
    ]);
    expect(summary).toEqual([
      ['Directory', 'rejected', 2],
      ['Facilities', 'manual', 2],
      ['Directory', 'unreachable', 1],
    ]);
    expect(groups[1].examples).toHaveLength(1);
    expect(groups[1].examples[0].message).toContain('no blank badges left');
  });

  it('retries a whole group (→ 1 Pending), per item, audited; needs the Unblock permission', async () => {
    const resources = await fixture.as('resources');
    const forbidden = await resources.post('/api/orders/errors/retry', {
      group: { connector: 'Directory', kind: 'rejected' },
    });
    expect(forbidden.statusCode).toBe(403);
    const admin = await fixture.as('admin');
    const answer = await admin.post('/api/orders/errors/retry', {
      group: { connector: 'Directory', kind: 'rejected' },
    });
    expect(answer.statusCode).toBe(200);
    expect([...answer.json().applied].sort()).toEqual(rejected);
    expect(await statesOf(rejected)).toEqual([1, 1]);
    const audits = await fixture.stores.audit.list({ action: 'order.unblocked', limit: 10 });
    expect(audits.map((a) => a.targetId).sort()).toEqual(rejected);
    // The group is empty now.
    const empty = await admin.post('/api/orders/errors/retry', { group: { connector: 'Directory', kind: 'rejected' } });
    expect(empty.statusCode).toBe(404);
    expect(empty.json().code).toBe('ERROR_GROUP_EMPTY');
  });

  it('dismisses a list of ids (→ 6 Inactive, assignments too), reporting the ones it could not', async () => {
    const admin = await fixture.as('admin');
    const answer = await admin.post('/api/orders/errors/dismiss', {
      orderIds: [...manualErrors, rejected[0], 'no-such-order'],
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({
      applied: manualErrors,
      skipped: [
        { orderId: rejected[0], reason: 'not_errored' },
        { orderId: 'no-such-order', reason: 'not_found' },
      ],
    });
    expect(await statesOf(manualErrors)).toEqual([6, 6]);
    const [dismissed] = await fixture.stores.orders.getDispatched([manualErrors[0] as string]);
    const assignments = await fixture.stores.assignments.getProvisioned(dismissed?.order.assignmentIds ?? []);
    expect(assignments.length).toBeGreaterThan(0);
    expect(assignments.every((a) => a.provisioningState === 6)).toBe(true);
    const [audit] = await fixture.stores.audit.list({ targetId: manualErrors[0], limit: 5 });
    expect(audit).toMatchObject({ action: 'order.dismissed', before: { state: 3 }, after: { state: 6 } });

    // A later computation of the owner proposes the badge again (6 Inactive is revived), as a new order.
    const owner = dismissed?.order.ownerId as string;
    await fixture.stores.resources.markDirty([owner]);
    await fixture.runtime.pipeline.request();
    const again = await fixture.stores.assignments.getProvisioned(dismissed?.order.assignmentIds ?? []);
    expect(again.every((a) => a.provisioningState !== 6)).toBe(true);

    const inbox = (await admin.get('/api/orders/errors')).json();
    expect(inbox.groups.map((g: { kind: string }) => g.kind)).toEqual(['unreachable']);
    expect((await admin.post('/api/orders/errors/dismiss', { orderIds: [] })).statusCode).toBe(400);
    expect((await admin.post('/api/orders/errors/dismiss', { group: { connector: 'Directory' } })).statusCode).toBe(
      400,
    );
    const resources = await fixture.as('resources');
    expect((await resources.post('/api/orders/errors/dismiss', { orderIds: unreachable })).statusCode).toBe(403);
    expect(await statesOf(unreachable)).toEqual([3]);
  });
});
