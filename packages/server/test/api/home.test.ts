import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, type Login, startApiFixture } from './api-fixture.ts';

interface Duty {
  screen: string;
  entityType: string | null;
  count: number | null;
  more: boolean;
}

/**
 * The home page decides which screens a person sees from the route table the server enforces, so
 * a screen shown is a screen whose API answers 200, and a screen hidden answers 403.
 */
describe('home: the screens each person may open, with their queues', () => {
  let fixture: ApiFixture;

  beforeAll(async () => {
    fixture = await startApiFixture();
    await fixture.runtime.pipeline.request(); // Badge orders reach Manual Provisioning (2 Transmitted)
  }, 60_000);
  afterAll(() => fixture?.close());

  const dutiesOf = async (login: Login): Promise<Duty[]> => {
    const answer = await (await fixture.as(login)).get('/api/home');
    expect(answer.statusCode).toBe(200);
    return answer.json().duties;
  };
  const screens = (duties: Duty[]) => duties.map((d) => `${d.screen}${d.entityType ? `:${d.entityType}` : ''}`);

  it('gives each profile exactly its screens', async () => {
    expect(screens(await dutiesOf('user'))).toEqual(['directory:Person']);
    expect(screens(await dutiesOf('manager'))).toEqual(['directory:Person', 'role-review:Person']);
    expect(screens(await dutiesOf('officer'))).toEqual([
      'directory:Person',
      'role-review:Person',
      'role-reconciliation:Person',
    ]);
    expect(screens(await dutiesOf('resources'))).toEqual([
      'directory:Person',
      'provisioning-review:Person',
      'manual-provisioning:Person',
      'resource-reconciliation:LdapAccount',
      'errors',
      'orders',
      'connectors',
    ]);
    const admin = screens(await dutiesOf('admin'));
    expect(admin).toEqual(expect.arrayContaining(['jobs', 'role-review:Person', 'resource-reconciliation:Badge']));
    expect(await dutiesOf('nobody')).toEqual([]);
  });

  it('shows a screen only when its API answers, and every shown screen answers', async () => {
    for (const login of ['user', 'manager', 'officer', 'resources', 'admin'] as const) {
      const client = await fixture.as(login);
      for (const duty of await dutiesOf(login)) {
        const url =
          duty.screen === 'resource-reconciliation'
            ? `/api/reconciliation/resources/${duty.entityType}`
            : duty.screen === 'role-reconciliation'
              ? `/api/reconciliation/roles/${duty.entityType}`
              : duty.screen === 'errors'
                ? '/api/orders/errors'
                : `/api/${duty.screen}${duty.entityType ? `/${duty.entityType}` : ''}`;
        expect((await client.get(url)).statusCode, `${login} ${url}`).toBe(200);
      }
    }
    const user = await fixture.as('user');
    expect((await user.get('/api/manual-provisioning/Person')).statusCode).toBe(403);
  });

  it('counts what waits, as the screens list it, and stops counting at 100', async () => {
    const resources = await fixture.as('resources');
    const manual = (await dutiesOf('resources')).find((d) => d.screen === 'manual-provisioning');
    const listed = (await resources.get('/api/manual-provisioning/Person?limit=200')).json().items.length;
    expect(listed).toBeGreaterThan(0);
    expect(manual).toMatchObject({ count: Math.min(listed, 100), more: listed > 100 });
    const reconciliation = (await dutiesOf('resources')).find((d) => d.screen === 'resource-reconciliation');
    const orphans = (await resources.get('/api/reconciliation/resources/LdapAccount?limit=200')).json().items.length;
    expect(reconciliation?.count).toBe(Math.min(orphans, 100));
    expect((await dutiesOf('resources')).find((d) => d.screen === 'orders')?.count).toBeNull();

    // Two tickets reported as failed are two errored orders on the Errors card.
    const errorsBefore = (await dutiesOf('resources')).find((d) => d.screen === 'errors')?.count ?? 0;
    const tickets = (await resources.get('/api/manual-provisioning/Person?limit=2')).json().items;
    const failed = await resources.post('/api/manual-provisioning/Person/error', {
      orderIds: tickets.map((t: { id: string }) => t.id),
      message: 'no badge printer',
    });
    expect(failed.statusCode).toBe(200);
    expect((await dutiesOf('resources')).find((d) => d.screen === 'errors')).toMatchObject({
      count: errorsBefore + 2,
      more: false,
    });
  });

  it('refuses anonymous callers', async () => {
    expect((await fixture.anonymous('GET', '/api/home')).statusCode).toBe(401);
  });
});
