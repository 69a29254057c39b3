import type { AssignedSingleRole, ProvisionedAssignment } from '@ordo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, personId, startApiFixture } from './api-fixture.ts';
import { erroredLdapOrders } from './errored-orders.ts';

const base = '/api/provisioning-review/Person';
const rtId = (employee: string) => `rt:${personId(employee)}:LdapAdminAccount`;
const decisionUrl = (employee: string) => `${base}/resources/${encodeURIComponent(rtId(employee))}/decision`;

/**
 * Gives people the DirectoryAdmin role as an approved request would (workflow 16 Approved) and
 * recomputes them: LdapAdminAccount requires provisioning review, so its account, values and
 * group membership wait in 5 Awaiting Approval.
 */
async function grantDirectoryAdmin(fixture: ApiFixture, employees: readonly string[]): Promise<void> {
  const now = fixture.clock.now();
  const end = new Date(Date.parse(now) + 10 * 86_400_000).toISOString();
  const upserts: AssignedSingleRole[] = employees.map((e) => ({
    kind: 'single_role',
    id: `sr:${personId(e)}:DirectoryAdmin`,
    ownerId: personId(e),
    workflowState: 16,
    startDate: now,
    endDate: end,
    ruleId: null,
    roleId: 'DirectoryAdmin',
    inferredFrom: null,
  }));
  await fixture.stores.assignments.saveChanges({ upserts, deletes: [] });
  await fixture.stores.resources.markDirty(employees.map(personId));
  await fixture.runtime.pipeline.request();
}

describe.each(['sqlite', 'postgres'] as const)('provisioning review on %s', (dialect) => {
  let fixture: ApiFixture;
  const people = ['E00001', 'E00002', 'E00003', 'E00004', 'E00005', 'E00007'];

  beforeAll(async () => {
    fixture = await startApiFixture({ dialect });
    await grantDirectoryAdmin(fixture, people);
  }, 60_000);
  afterAll(() => fixture?.close());

  const rowsOf = async (employee: string): Promise<Map<string, ProvisionedAssignment>> => {
    const all = (await fixture.stores.assignments.loadByOwners([personId(employee)])).get(personId(employee)) ?? [];
    return new Map(
      all.flatMap((a) =>
        a.kind !== 'composite_role' && a.kind !== 'single_role' && a.id.startsWith(rtId(employee))
          ? [[a.id, a] as const]
          : [],
      ),
    );
  };
  const itemOf = async (employee: string) => {
    const rows = await rowsOf(employee);
    return (suffix: string) => {
      const row = rows.get(`${rtId(employee)}${suffix}`);
      return row && { state: row.provisioningState, declined: row.declined };
    };
  };

  it('lists additions in the resource view, with every pending value, paged by cursor', async () => {
    const client = await fixture.as('resources');
    const answer = await client.get(`${base}?limit=2`);
    expect(answer.statusCode).toBe(200);
    const first = answer.json();
    expect(first.view).toBe('resource');
    expect(first.items).toHaveLength(2);
    const seen: string[] = [];
    let page = first;
    for (;;) {
      seen.push(...page.items.map((i: { assignedResourceTypeId: string }) => i.assignedResourceTypeId));
      if (!page.nextCursor) break;
      page = (await client.get(`${base}?limit=2&cursor=${page.nextCursor}`)).json();
    }
    expect(seen.filter((id) => id.endsWith(':LdapAdminAccount')).sort()).toEqual(people.map(rtId).sort());
    const item = first.items.find(
      (i: { assignedResourceTypeId: string }) => i.assignedResourceTypeId === rtId('E00001'),
    );
    expect(item).toMatchObject({
      resourceTypeId: 'LdapAdminAccount',
      kind: 'addition',
      owner: { id: personId('E00001'), key: 'E00001' },
      target: null,
      resourceAwaiting: true,
      provisioningState: 5,
      // Calculated: the resource type follows from the role by the resource type's rule.
      workflowState: 18,
    });
    const byProperty = Object.fromEntries(
      item.properties.map((p: { property: string; proposedValue: unknown }) => [p.property, p]),
    );
    expect(byProperty.uid).toMatchObject({ kind: 'scalar', proposedValue: 'adm-e00001', provisioningState: 5 });
    expect(byProperty.employeeNumber).toMatchObject({ proposedValue: 'E00001' });
    expect(byProperty.memberOf).toMatchObject({
      kind: 'navigation',
      operation: 'add',
      proposedValue: 'cn=directory-admins,ou=groups,dc=example,dc=org',
      currentValue: null,
    });
  });

  it('lists one line per pending value in the property view, filtered by resource type and property', async () => {
    const client = await fixture.as('resources');
    const answer = await client.get(`${base}?view=property&resourceType=LdapAdminAccount&property=uid`);
    expect(answer.statusCode).toBe(200);
    const lines = answer.json().items;
    expect(lines.map((l: { owner: { key: string } }) => l.owner.key).sort()).toEqual(people);
    expect(
      lines.every((l: { property: string; reviewKind: string }) => l.property === 'uid' && l.reviewKind === 'addition'),
    ).toBe(true);
    const all = (await client.get(`${base}?view=property&resourceType=LdapAdminAccount&limit=500`)).json().items;
    expect(all).toHaveLength(people.length * 3);
    expect((await client.get(`${base}?view=property`)).statusCode).toBe(400);
    expect((await client.get(`${base}?view=property&resourceType=Nope`)).statusCode).toBe(404);
  });

  it('confirms a resource with one value declined: approved → 1, declined → 0 and not proposed again', async () => {
    const client = await fixture.as('resources');
    const employeeNumber = `${rtId('E00001')}/s:employeeNumber`;
    const answer = await client.post(decisionUrl('E00001'), {
      outcome: 'confirm',
      properties: [{ assignmentId: employeeNumber, decision: 'decline' }],
      comment: 'the number is set by HR',
    });
    expect(answer.statusCode).toBe(200);
    const decided = Object.fromEntries(
      answer
        .json()
        .decided.map((d: { assignmentId: string; decision: string }) => [
          d.assignmentId.slice(rtId('E00001').length).replace(/^(\/n:memberOf):.*$/, '$1'),
          d.decision,
        ]),
    );
    expect(decided).toEqual({
      '': 'approve',
      '/s:uid': 'approve',
      '/s:employeeNumber': 'decline',
      '/n:memberOf': 'approve',
    });
    // The pipeline recomputed the owner: approved values stay approved, the declined one stays out.
    const item = await itemOf('E00001');
    expect(item('')).toEqual({ state: 1, declined: false });
    expect(item('/s:uid')).toEqual({ state: 1, declined: false });
    expect(item('/s:employeeNumber')).toEqual({ state: 0, declined: true });
    await fixture.stores.resources.markDirty([personId('E00001')]);
    await fixture.runtime.pipeline.request();
    expect((await itemOf('E00001'))('/s:employeeNumber')).toEqual({ state: 0, declined: true });
    const list = (await client.get(`${base}?limit=500`)).json().items;
    expect(list.map((i: { assignedResourceTypeId: string }) => i.assignedResourceTypeId)).not.toContain(rtId('E00001'));

    const [audit] = await fixture.stores.audit.list({ targetId: rtId('E00001'), limit: 5 });
    expect(audit).toMatchObject({
      actor: 'account:resources',
      action: 'provisioning_review.decided',
      detail: 'the number is set by HR',
      after: { outcome: 'confirm' },
    });
    const ledger = await fixture.stores.ledger.byAssignment(employeeNumber);
    expect(ledger.at(-1)).toMatchObject({ event: 'review_declined', from: 5, to: 0, cause: { kind: 'user' } });
    // Decided: a second decision finds nothing pending.
    const again = await client.post(decisionUrl('E00001'), { outcome: 'confirm' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('REVIEW_ALREADY_DECIDED');
  });

  it('postpone keeps a value in 5 Awaiting Approval, also after the owner is recomputed', async () => {
    const client = await fixture.as('resources');
    const uid = `${rtId('E00002')}/s:uid`;
    const answer = await client.post(decisionUrl('E00002'), {
      outcome: 'confirm',
      properties: [{ assignmentId: uid, decision: 'postpone' }],
    });
    expect(answer.statusCode).toBe(200);
    await fixture.stores.resources.markDirty([personId('E00002')]);
    await fixture.runtime.pipeline.request();
    const item = await itemOf('E00002');
    expect(item('')).toEqual({ state: 1, declined: false });
    expect(item('/s:uid')).toEqual({ state: 5, declined: false });
    // Still on the screen, now as an update of a resource whose creation is approved.
    const list = (await client.get(`${base}?limit=500`)).json().items;
    const line = list.find((i: { assignedResourceTypeId: string }) => i.assignedResourceTypeId === rtId('E00002'));
    expect(line).toMatchObject({ resourceAwaiting: false, kind: 'update' });
    expect(line.properties.map((p: { property: string }) => p.property)).toEqual(['uid']);
  });

  it('with unlisted: postpone, only the listed value moves (the property view decides one line)', async () => {
    const client = await fixture.as('resources');
    const before = await itemOf('E00007');
    expect(before('/s:uid')).toEqual({ state: 5, declined: false });
    const mail = `${rtId('E00007')}/s:employeeNumber`;
    const answer = await client.post(decisionUrl('E00007'), {
      outcome: 'confirm',
      properties: [{ assignmentId: mail, decision: 'approve' }],
      unlisted: 'postpone',
    });
    expect(answer.statusCode).toBe(200);
    const item = await itemOf('E00007');
    expect(item('/s:employeeNumber')?.state).toBe(1);
    expect(item('/s:uid')).toEqual({ state: 5, declined: false });
    const refused = await client.post(decisionUrl('E00007'), { outcome: 'confirm', unlisted: 'decline' });
    expect([refused.statusCode, refused.json().code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('ignore declines everything, and the resource is not proposed again', async () => {
    const client = await fixture.as('resources');
    const bad = await client.post(decisionUrl('E00003'), {
      outcome: 'ignore',
      properties: [{ assignmentId: `${rtId('E00003')}/s:uid`, decision: 'approve' }],
    });
    expect(bad.statusCode).toBe(400);
    expect((await itemOf('E00003'))('')).toEqual({ state: 5, declined: false });
    const answer = await client.post(decisionUrl('E00003'), { outcome: 'ignore' });
    expect(answer.statusCode).toBe(200);
    expect(new Set(answer.json().decided.map((d: { decision: string }) => d.decision))).toEqual(new Set(['decline']));
    await fixture.stores.resources.markDirty([personId('E00003')]);
    await fixture.runtime.pipeline.request();
    const item = await itemOf('E00003');
    expect(item('')).toEqual({ state: 0, declined: true });
    const orders = await fixture.stores.orders.list({ ownerId: personId('E00003'), limit: 100 });
    expect(orders.filter((o) => o.resourceTypeId === 'LdapAdminAccount')).toEqual([]);
  });

  it('two reviewers deciding the same resource at once: one wins, the other gets 409, recorded once', async () => {
    const [a, b] = await Promise.all([fixture.as('resources'), fixture.as('admin')]);
    const answers = await Promise.all([
      a.post(decisionUrl('E00004'), { outcome: 'confirm' }),
      b.post(decisionUrl('E00004'), { outcome: 'ignore' }),
    ]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const loser = answers.find((r) => r.statusCode === 409);
    expect(loser?.json().code).toBe('REVIEW_ALREADY_DECIDED');
    const audits = await fixture.stores.audit.list({ targetId: rtId('E00004'), limit: 10 });
    expect(audits).toHaveLength(1);
    const winner = answers.find((r) => r.statusCode === 200)?.json();
    const expected = audits[0]?.after as { outcome: string };
    const item = await itemOf('E00004');
    expect(item('')?.state).toBe(expected.outcome === 'confirm' ? 1 : 0);
    expect(winner.decided.length).toBe(4);
  });

  it('refuses another entity type, unknown items, and people without the permission', async () => {
    const admin = await fixture.as('admin');
    const wrongType = await admin.post(
      `/api/provisioning-review/LdapAccount/resources/${encodeURIComponent(rtId('E00005'))}/decision`,
      { outcome: 'confirm' },
    );
    expect(wrongType.statusCode).toBe(404);
    expect(wrongType.json().code).toBe('REVIEW_ITEM_NOT_FOUND');
    expect((await admin.get('/api/provisioning-review/LdapAccount')).json().items).toEqual([]);
    expect((await admin.get('/api/provisioning-review/Nope')).statusCode).toBe(404);
    const unknown = await admin.post(`${base}/resources/rt%3ANope/decision`, { outcome: 'confirm' });
    expect(unknown.statusCode).toBe(404);
    const foreign = await admin.post(decisionUrl('E00005'), {
      outcome: 'confirm',
      properties: [{ assignmentId: `${rtId('E00001')}/s:uid`, decision: 'decline' }],
    });
    expect(foreign.statusCode).toBe(400);
    expect((await itemOf('E00005'))('')).toEqual({ state: 5, declined: false });
    expect((await admin.post(decisionUrl('E00005'), { outcome: 'maybe' })).statusCode).toBe(400);

    const officer = await fixture.as('officer');
    expect((await officer.get(base)).statusCode).toBe(403);
    expect((await officer.post(decisionUrl('E00005'), { outcome: 'confirm' })).statusCode).toBe(403);
    const manager = await fixture.as('manager');
    expect((await manager.post(`${base}/errored/unblock`, { orderIds: ['x'] })).statusCode).toBe(403);
  });

  it('lists errored orders of the entity type and unblocks them, single and bulk (→ 1 Pending)', async () => {
    const ids = await erroredLdapOrders(fixture, 3);
    const client = await fixture.as('resources');
    const listed = (await client.get(`${base}/errored?limit=500`)).json().items.map((o: { id: string }) => o.id);
    for (const id of ids) expect(listed).toContain(id);
    expect((await client.get('/api/provisioning-review/LdapAccount/errored')).statusCode).toBe(403);

    const [single, ...bulk] = ids as [string, ...string[]];
    const one = await client.post(`${base}/errored/${encodeURIComponent(single)}/unblock`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual({ applied: [single], skipped: [] });
    const again = await client.post(`${base}/errored/${encodeURIComponent(single)}/unblock`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ORDER_NOT_ERRORED');
    expect((await client.post(`${base}/errored/no-such-order/unblock`)).statusCode).toBe(404);

    const many = await client.post(`${base}/errored/unblock`, { orderIds: [...bulk, single, 'no-such-order'] });
    expect(many.statusCode).toBe(200);
    expect(many.json()).toEqual({
      applied: bulk,
      skipped: [
        { orderId: single, reason: 'not_errored' },
        { orderId: 'no-such-order', reason: 'not_found' },
      ],
    });
    const states = await fixture.stores.orders.getDispatched(ids);
    expect(states.map((d) => d.order.state)).toEqual([1, 1, 1]);
    expect(states.every((d) => d.dispatch.attempts === 0)).toBe(true);
    const [audit] = await fixture.stores.audit.list({ targetId: single, limit: 5 });
    expect(audit).toMatchObject({ action: 'order.unblocked', before: { state: 3 }, after: { state: 1 } });
  });
});
