import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importResources } from '../../src/use-cases/import-resources.ts';
import type { TestDialect } from '../support/test-database.ts';
import { type ApiFixture, personId, startApiFixture } from './api-fixture.ts';

const people = 'ou=people,dc=example,dc=org';
const group = (cn: string) => `cn=${cn},ou=groups,dc=example,dc=org`;
const resources = '/api/reconciliation/resources/LdapAccount';
const roles = '/api/reconciliation/roles/Person';

interface Item {
  id: string;
  category: string;
  workflowState: number | null;
  ownerId: string | null;
  roleId: string | null;
  targetKey: string | null;
  orphanKind: string | null;
}

describe.each(['sqlite', 'postgres'] as TestDialect[])('reconciliation on %s', (dialect) => {
  let fixture: ApiFixture;

  /** Synchronizes LDAP accounts as a connector export would, then lets the pipeline compute. */
  const synchronize = async (
    accounts: readonly { key: string; values: Record<string, string | null>; links?: Record<string, string[]> }[],
  ) => {
    await importResources(
      { stores: fixture.stores },
      accounts.map((a) => ({ entityType: 'LdapAccount', ...a })),
      () => 'LdapGroup',
    );
    fixture.runtime.pipeline.markTargetsChanged();
    await fixture.runtime.pipeline.request();
  };

  /** Adds a membership to an identity's existing LDAP account. */
  const addMembership = async (employeeId: string, cn: string) => {
    const account = (await fixture.stores.resources.listByEntityType('LdapAccount', { limit: 5000 })).find(
      (a) => a.values.employeeNumber === employeeId,
    );
    if (!account) throw new Error(`no account for ${employeeId}`);
    const links = (account.links.memberOf ?? []).map((id) => id.replace(/^LdapGroup:/, ''));
    await synchronize([
      {
        key: account.key,
        values: account.values as Record<string, string | null>,
        links: { memberOf: [...links, group(cn)] },
      },
    ]);
  };

  const listAll = async (url: string, login: 'resources' | 'officer' | 'admin'): Promise<Item[]> => {
    const client = await fixture.as(login);
    const items: Item[] = [];
    let after: string | null = null;
    do {
      const answer = await client.get(`${url}?limit=3${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      expect(answer.statusCode).toBe(200);
      items.push(...answer.json().items);
      after = answer.json().nextCursor;
    } while (after);
    return items;
  };

  beforeAll(async () => {
    fixture = await startApiFixture({ dialect });
    await synchronize([
      {
        key: `uid=intruder,${people}`,
        values: { dn: `uid=intruder,${people}`, uid: 'intruder', cn: 'In Truder', sn: 'Truder', givenName: 'In' },
      },
      {
        key: `uid=tolerated,${people}`,
        values: { dn: `uid=tolerated,${people}`, uid: 'tolerated', cn: 'Tol Erated', sn: 'Erated', givenName: 'Tol' },
      },
    ]);
  }, 60_000);
  afterAll(() => fixture.close());

  it('lists orphan accounts (never owned, classified into a resource type) with cursor paging', async () => {
    const items = await listAll(resources, 'resources');
    const orphans = items.filter((i) => i.category === 'orphan');
    expect(orphans.map((o) => o.targetKey)).toEqual(
      expect.arrayContaining([`uid=intruder,${people}`, `uid=tolerated,${people}`, `uid=former1,${people}`]),
    );
    expect(orphans.every((o) => o.orphanKind === 'unowned' && o.ownerId === null)).toBe(true);
    // Paging (3 per page) neither repeats nor skips.
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    // Owned accounts are not orphans.
    expect(orphans.some((o) => o.targetKey?.startsWith('uid=prichard3,'))).toBe(false);
  });

  it('keeps an orphan as an exception (who and why) and does not propose it again', async () => {
    const client = await fixture.as('resources');
    const id = `orphan:LdapAccount:uid=tolerated,${people}`;
    const noReason = await client.post(`${resources}/decisions`, { items: [{ id, decision: 'keep' }] });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().code).toBe('VALIDATION_FAILED');
    const kept = await client.post(`${resources}/decisions`, {
      items: [{ id, decision: 'keep', comment: 'service account of the print server' }],
    });
    expect(kept.statusCode).toBe(200);
    expect(kept.json().results).toEqual([{ id, decision: 'keep', workflowState: null, orderId: null }]);
    expect((await listAll(resources, 'resources')).some((i) => i.id === id)).toBe(false);
    const [decision] = await fixture.stores.reconciliation.decisionsAbout([`LdapAccount:uid=tolerated,${people}`]);
    expect(decision).toMatchObject({
      decision: 'keep',
      decidedBy: 'account:resources',
      comment: 'service account of the print server',
    });
    const audit = await fixture.stores.audit.list({ action: 'reconciliation.orphan_kept', limit: 10 });
    expect(audit).toHaveLength(1);
    // Deciding it again finds nothing to decide.
    const again = await client.post(`${resources}/decisions`, { items: [{ id, decision: 'remove' }] });
    expect(again.statusCode).toBe(404);
  });

  it('removes an orphan with a deletion order; two people removing it at once give one order', async () => {
    const [a, b] = [await fixture.as('resources'), await fixture.as('admin')];
    const id = `orphan:LdapAccount:uid=intruder,${people}`;
    const body = { items: [{ id, decision: 'remove', comment: 'nobody knows it' }] };
    const answers = await Promise.all([a.post(`${resources}/decisions`, body), b.post(`${resources}/decisions`, body)]);
    const statuses = answers.map((r) => r.statusCode).sort();
    expect(statuses[0]).toBe(200);
    expect([404, 409]).toContain(statuses[1]);
    const orderId = answers.find((r) => r.statusCode === 200)?.json().results[0].orderId;
    const order = await fixture.stores.orders.get(orderId);
    expect(order).toMatchObject({
      changeType: 'deleted',
      state: 1,
      resourceTypeId: 'LdapAccount',
      connector: 'Directory',
      targetKey: `uid=intruder,${people}`,
      assignmentIds: [],
    });
    const deletions = (await fixture.stores.orders.list({ state: 1, connector: 'Directory', limit: 5000 })).filter(
      (o) => o.targetKey === `uid=intruder,${people}`,
    );
    expect(deletions).toHaveLength(1);
    expect(await fixture.stores.audit.list({ action: 'reconciliation.orphan_removed', limit: 10 })).toHaveLength(1);
    expect((await listAll(resources, 'resources')).some((i) => i.id === id)).toBe(false);
  });

  it('removes an orphan whose owner is gone through its assigned resource type (deriveOrphanOrders)', async () => {
    const owner = personId('E00030');
    const row = await fixture.stores.assignments.get(`rt:${owner}:LdapAccount`);
    if (row?.kind !== 'resource_type' || !row.targetResourceId) throw new Error('E00030 has no LDAP account');
    await fixture.stores.resources.deleteMany([owner]);
    const orphan = (await listAll(resources, 'resources')).find((i) => i.id === `orphan:${row.targetResourceId}`);
    expect(orphan).toMatchObject({ orphanKind: 'owner_gone', ownerId: owner });
    const answer = await (await fixture.as('resources')).post(`${resources}/decisions`, {
      items: [{ id: orphan?.id, decision: 'remove', comment: 'left the company' }],
    });
    expect(answer.statusCode).toBe(200);
    const order = await fixture.stores.orders.get(answer.json().results[0].orderId);
    expect(order).toMatchObject({ changeType: 'deleted', ownerId: owner, assignmentIds: [row.id], state: 1 });
    expect(await fixture.stores.assignments.get(row.id)).toMatchObject({
      provisioningState: 1,
      pendingOperation: 'remove',
    });
  });

  it('lists a role deduced from a membership nobody granted as non-conforming, and keeps it as Approved', async () => {
    await addMembership('E00003', 'managers');
    const found = (await listAll(roles, 'officer')).find((i) => i.id === `sr:${personId('E00003')}:ManagersGroup`);
    expect(found).toMatchObject({
      category: 'single_role',
      workflowState: 1,
      roleId: 'ManagersGroup',
      ownerId: personId('E00003'),
    });
    const officer = await fixture.as('officer');
    const kept = await officer.post(`${roles}/decisions`, {
      items: [{ id: found?.id, decision: 'keep', comment: 'acting manager until March' }],
    });
    expect(kept.statusCode).toBe(200);
    expect(kept.json().results[0]).toMatchObject({ workflowState: 16 });
    await fixture.runtime.pipeline.request();
    const row = await fixture.stores.assignments.get(`sr:${personId('E00003')}:ManagersGroup`);
    expect(row?.workflowState).toBe(16);
    const ledger = await fixture.stores.ledger.byAssignment(`sr:${personId('E00003')}:ManagersGroup`);
    expect(ledger.some((e) => e.event === 'reconciliation_kept' && e.from === 1 && e.to === 16)).toBe(true);
    const audit = await fixture.stores.audit.list({ action: 'reconciliation.kept', limit: 10 });
    expect(audit[0]).toMatchObject({
      actor: 'account:officer',
      before: { workflowState: 1 },
      after: { workflowState: 16 },
    });
    // Decided: a second decision is refused, and nothing changes.
    const late = await officer.post(`${roles}/decisions`, { items: [{ id: found?.id, decision: 'remove' }] });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('RECONCILIATION_ALREADY_DECIDED');
  });

  it('removes a non-conforming role: Cancellation, then the engine deprovisions its membership', async () => {
    await addMembership('E00009', 'managers');
    const id = `sr:${personId('E00009')}:ManagersGroup`;
    expect((await fixture.stores.assignments.get(id))?.workflowState).toBe(1);
    const officer = await fixture.as('officer');
    const removed = await officer.post(`${roles}/decisions`, {
      items: [{ id, decision: 'remove', comment: 'not a manager' }],
    });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().results[0]).toMatchObject({ workflowState: 20 });
    // The decision recomputed the owner: the role is gone and its membership is being removed.
    expect(await fixture.stores.assignments.get(id)).toBeUndefined();
    const membership = await fixture.stores.assignments.get(
      `rt:${personId('E00009')}:LdapAccount/n:memberOf:LdapGroup:${group('managers')}`,
    );
    expect(membership).toMatchObject({ pendingOperation: 'remove' });
    const ledger = await fixture.stores.ledger.byAssignment(id);
    expect(ledger.map((e) => e.event)).toEqual(
      expect.arrayContaining(['reconciliation_removed', 'cancellation_applied']),
    );
  });

  it('bulk decisions need the Bulk permission, are all or nothing, and the single route takes one item', async () => {
    await addMembership('E00012', 'managers');
    await addMembership('E00015', 'managers');
    const ids = ['E00012', 'E00015'].map((e) => `sr:${personId(e)}:ManagersGroup`);
    const officer = await fixture.as('officer');
    const two = ids.map((id) => ({ id, decision: 'keep', comment: 'interim' }));
    expect((await officer.post(`${roles}/decisions`, { items: two })).statusCode).toBe(400);
    // One unknown item refuses the whole set: nothing is written.
    const mixed = await officer.post(`${roles}/decisions/bulk`, {
      items: [...two, { id: 'sr:nobody:X', decision: 'remove' }],
    });
    expect(mixed.statusCode).toBe(404);
    for (const id of ids) expect((await fixture.stores.assignments.get(id))?.workflowState).toBe(1);
    const bulk = await officer.post(`${roles}/decisions/bulk`, { items: two });
    expect(bulk.statusCode).toBe(200);
    for (const id of ids) expect((await fixture.stores.assignments.get(id))?.workflowState).toBe(16);
    // Permissions: the resource manager reconciles accounts, not roles; a manager neither.
    const resourcesClient = await fixture.as('resources');
    expect((await resourcesClient.get(roles)).statusCode).toBe(403);
    expect((await resourcesClient.post(`${roles}/decisions/bulk`, { items: two })).statusCode).toBe(403);
    expect((await (await fixture.as('manager')).get(resources)).statusCode).toBe(403);
    expect((await officer.get('/api/reconciliation/roles/LdapAccount')).statusCode).toBe(403);
  });

  it('two people deciding the same role at once (keep and remove) give one result, recorded once', async () => {
    await addMembership('E00018', 'managers');
    const id = `sr:${personId('E00018')}:ManagersGroup`;
    const [officer, admin] = [await fixture.as('officer'), await fixture.as('admin')];
    const answers = await Promise.all([
      officer.post(`${roles}/decisions`, { items: [{ id, decision: 'keep', comment: 'keep it' }] }),
      admin.post(`${roles}/decisions`, { items: [{ id, decision: 'remove' }] }),
    ]);
    // The loser finds it decided (409), or already removed by the winner's recomputation (404).
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses[0]).toBe(200);
    expect([404, 409]).toContain(statuses[1]);
    const decisions = await fixture.stores.reconciliation.decisionsAbout([id]);
    expect(decisions).toHaveLength(1);
    const audit = (await fixture.stores.audit.list({ targetId: id, limit: 10 })).filter((r) =>
      r.action.startsWith('reconciliation.'),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]?.action).toBe(decisions[0]?.decision === 'keep' ? 'reconciliation.kept' : 'reconciliation.removed');
  });

  it('lists a membership nothing explains as an unreconciled property, and removes or keeps it', async () => {
    await addMembership('E00024', 'directory-admins');
    await addMembership('E00027', 'directory-admins');
    const items = await listAll(resources, 'resources');
    const found = (employeeId: string) =>
      items.find((i) => i.category === 'navigation' && i.ownerId === personId(employeeId));
    const [removeIt, keepIt] = [found('E00024'), found('E00027')];
    expect(removeIt).toMatchObject({
      workflowState: 1,
      property: 'memberOf',
      valueKey: group('directory-admins'),
      targetKey: expect.stringMatching(/^uid=.*,ou=people,dc=example,dc=org$/),
    });
    expect(keepIt).toMatchObject({ workflowState: 1 });
    const client = await fixture.as('resources');
    const answer = await client.post(`${resources}/decisions/bulk`, {
      items: [
        { id: removeIt?.id, decision: 'remove', comment: 'not an administrator' },
        { id: keepIt?.id, decision: 'keep', comment: 'break-glass member' },
      ],
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json().results.map((r: { workflowState: number }) => r.workflowState)).toEqual([20, 16]);
    expect(await fixture.stores.assignments.get(keepIt?.id as string)).toMatchObject({ workflowState: 16 });
    // The removed membership is deprovisioned by the owner's next computation (run by the decision).
    expect(await fixture.stores.assignments.get(removeIt?.id as string)).toMatchObject({ pendingOperation: 'remove' });
    const after = await listAll(resources, 'resources');
    expect(after.some((i) => i.id === removeIt?.id || i.id === keepIt?.id)).toBe(false);
  });

  it('the store decides once: workflow compare-and-set and one decision row per orphan', async () => {
    const id = `sr:${personId('E00003')}:StaffGroup`;
    const store = fixture.stores.reconciliation;
    // StaffGroup is Calculated (18): a move expecting 1 does nothing.
    expect(await store.setWorkflowIf('single_role', id, 1, 16)).toBe(false);
    expect((await fixture.stores.assignments.get(id))?.workflowState).toBe(18);
    const decision = {
      id: 'orphan:LdapAccount:uid=nobody',
      subjectKind: 'orphan' as const,
      subjectId: 'LdapAccount:uid=nobody',
      entityType: 'LdapAccount',
      decision: 'keep' as const,
      decidedBy: 'test',
      decidedAt: fixture.clock.now(),
      comment: 'first',
    };
    expect(await store.recordDecision(decision)).toBe(true);
    expect(await store.recordDecision({ ...decision, decision: 'remove', comment: 'second' })).toBe(false);
    expect(await store.decisionsAbout(['LdapAccount:uid=nobody'])).toMatchObject([
      { decision: 'keep', comment: 'first' },
    ]);
  });

  it('refuses entity types with nothing to reconcile and bad input without changing anything', async () => {
    const admin = await fixture.as('admin');
    const notTarget = await admin.get('/api/reconciliation/resources/Person');
    expect(notTarget.statusCode).toBe(404);
    expect(notTarget.json().code).toBe('ENTITY_TYPE_NOT_RECONCILABLE');
    expect((await admin.get(`${resources}?limit=0`)).statusCode).toBe(400);
    expect((await admin.get(`${resources}?limit=501`)).statusCode).toBe(400);
    const dup = await admin.post(`${resources}/decisions/bulk`, {
      items: [
        { id: 'orphan:LdapAccount:uid=former1,ou=people,dc=example,dc=org', decision: 'remove' },
        { id: 'orphan:LdapAccount:uid=former1,ou=people,dc=example,dc=org', decision: 'remove' },
      ],
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().code).toBe('RECONCILIATION_DUPLICATE_ITEM');
    const bad = await admin.post(`${resources}/decisions`, { items: [{ id: 'x', decision: 'maybe' }] });
    expect(bad.statusCode).toBe(400);
  });
});
