import { ProvisioningState as P, WorkflowState as W } from '@ordo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type ApiFixture, personId, startApiFixture } from './api-fixture.ts';

interface Summary {
  id: string;
  key: string;
}

describe.each(['sqlite', 'postgres'] as const)('directory (%s)', (dialect) => {
  let fixture: ApiFixture;
  let officer: ApiClient;
  let manager: ApiClient;
  let user: ApiClient;

  beforeAll(async () => {
    fixture = await startApiFixture({ dialect });
    officer = await fixture.as('officer');
    manager = await fixture.as('manager');
    user = await fixture.as('user');
  }, 60_000);
  afterAll(() => fixture?.close());

  it('documents its routes in the OpenAPI document', async () => {
    const paths = Object.keys((await fixture.anonymous('GET', '/api/openapi.json')).json().paths);
    for (const path of [
      '/api/directory/{entityType}',
      '/api/directory/{entityType}/{id}',
      '/api/directory/{entityType}/{id}/permissions',
      '/api/directory/{entityType}/{id}/permissions/{assignmentId}/timeline',
      '/api/directory/{entityType}/{id}/requestable',
      '/api/directory/{entityType}/{id}/requests',
      '/api/requests/{requestId}',
      '/api/requests/{requestId}/cancel',
      '/api/role-review/{entityType}',
      '/api/role-review/{entityType}/{requestId}/decision',
    ]) {
      expect(paths).toContain(path);
    }
  });

  it('pages through every identity with a cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await officer.get(`/api/directory/Person?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.statusCode).toBe(200);
      const page: { items: Summary[]; nextCursor: string | null } = answer.json();
      expect(page.items.length).toBeLessThanOrEqual(100);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(await fixture.stores.resources.count('Person'));
    expect([...seen].sort()).toEqual(seen);
    expect((await officer.get('/api/directory/Person?limit=501')).statusCode).toBe(400);
  });

  it('searches the key and the values, case-insensitively', async () => {
    const byKey = (await officer.get('/api/directory/Person?q=e00025')).json().items as Summary[];
    expect(byKey.map((i) => i.key)).toEqual(['E00025']);
    const byName = (await officer.get('/api/directory/Person?q=DUBOIS&limit=500')).json().items as (Summary & {
      values: { lastName: string };
    })[];
    expect(byName.length).toBeGreaterThan(0);
    expect(byName.every((i) => i.values.lastName === 'Dubois')).toBe(true);
    expect((await officer.get('/api/directory/Person?q=zzzz-nobody')).json().items).toEqual([]);
    // LIKE wildcards in the text are searched literally.
    expect((await officer.get('/api/directory/Person?q=%25')).json().items).toEqual([]);
    expect((await officer.get('/api/directory/Nope')).statusCode).toBe(403);
  });

  it('limits a manager to their reports and a user to themselves', async () => {
    const managed: Summary[] = (await manager.get('/api/directory/Person?limit=500')).json().items;
    const keys = managed.map((i) => i.key);
    expect(keys).toContain('E00006');
    expect(keys).toContain('E00025');
    expect(keys).not.toContain('E00001');
    for (const m of managed) {
      const person = await fixture.stores.resources.get(m.id);
      expect(m.key === 'E00006' || person?.links.manager?.includes(personId('E00006'))).toBe(true);
    }
    expect((await manager.get(`/api/directory/Person/${personId('E00025')}`)).statusCode).toBe(200);
    const out = await manager.get(`/api/directory/Person/${personId('E00001')}`);
    expect([out.statusCode, out.json().code]).toEqual([403, 'OUT_OF_SCOPE']);
    expect((await manager.get(`/api/directory/Person/${personId('E00001')}/permissions`)).statusCode).toBe(403);
    const self: Summary[] = (await user.get('/api/directory/Person')).json().items;
    expect(self.map((i) => i.key)).toEqual(['E00025']);
    const nobody = await fixture.as('nobody');
    expect((await nobody.get('/api/directory/Person')).statusCode).toBe(403);
    expect((await officer.get('/api/directory/Person/no-such-id')).statusCode).toBe(404);
  });

  it('shows an identity with its values, links and accounts', async () => {
    const answer = await officer.get(`/api/directory/Person/${personId('E00025')}`);
    expect(answer.statusCode).toBe(200);
    const identity = answer.json();
    expect(identity).toMatchObject({ key: 'E00025', values: { lastName: 'Leroy' } });
    expect(identity.links.manager).toEqual([{ id: personId('E00006'), key: 'E00006' }]);
    // No account exists before the first synchronization: nothing owned yet.
    expect(Array.isArray(identity.owns)).toBe(true);
  });

  it('lists every assignment with named states, dates and its timeline', async () => {
    const answer = await officer.get(`/api/directory/Person/${personId('E00001')}/permissions`);
    expect(answer.statusCode).toBe(200);
    const items: {
      id: string;
      kind: string;
      label: string;
      displayName: string;
      workflowState: { number: number; name: string };
      provisioningState: { number: number; name: string } | null;
      startDate: string | null;
      timeline: { event: string; to: { number: number; name: string } | null }[];
    }[] = answer.json().items;
    const kinds = new Set(items.map((i) => i.kind));
    expect(kinds).toEqual(new Set(['composite_role', 'single_role', 'resource_type', 'scalar', 'navigation']));
    const employee = items.find((i) => i.id === `cr:${personId('E00001')}:Employee`);
    expect(employee?.workflowState).toEqual({ number: W.Calculated, name: 'Calculated' });
    expect(employee?.provisioningState).toBeNull();
    const account = items.find((i) => i.id === `rt:${personId('E00001')}:LdapAccount`);
    expect(account?.provisioningState?.number).toBe(P.Pending);
    expect(account?.provisioningState?.name).toBe('Pending');
    expect(account?.timeline.length).toBeGreaterThan(0);
    expect(account?.timeline.some((e) => e.to?.name === 'Pending')).toBe(true);
    const mail = items.find((i) => i.kind === 'scalar' && i.label.startsWith('LdapAccount.mail'));
    expect(mail?.label).toContain('paul.dubois@example.org');
    // People read the configuration's display names, not ids.
    expect(employee?.displayName).toBe('Every employee');
    expect(account?.displayName).toBe('LDAP account');
    expect(mail?.displayName).toBe('LDAP account: mail = "paul.dubois@example.org"');
    // Ordered: composite roles, single roles, resource types, scalars, navigations.
    const order = ['composite_role', 'single_role', 'resource_type', 'scalar', 'navigation'];
    const ranks = items.map((i) => order.indexOf(i.kind));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);

    const timeline = await officer.get(
      `/api/directory/Person/${personId('E00001')}/permissions/${encodeURIComponent(account?.id ?? '')}/timeline`,
    );
    expect(timeline.statusCode).toBe(200);
    expect(timeline.json().items).toEqual(account?.timeline);
    const foreign = await officer.get(
      `/api/directory/Person/${personId('E00002')}/permissions/${encodeURIComponent(account?.id ?? '')}/timeline`,
    );
    expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'ASSIGNMENT_NOT_FOUND']);
    // Scalar and navigation ids hold a `/`: encoded, they reach the route.
    const scalarTimeline = await officer.get(
      `/api/directory/Person/${personId('E00001')}/permissions/${encodeURIComponent(mail?.id ?? '')}/timeline`,
    );
    expect(scalarTimeline.statusCode).toBe(200);
    expect(scalarTimeline.json().items.length).toBeGreaterThan(0);
  });

  it('offers what may be requested, with the steps and what is already held', async () => {
    const answer = await user.get(`/api/directory/Person/${personId('E00025')}/requestable`);
    expect(answer.statusCode).toBe(200);
    const items: {
      kind: string;
      id: string;
      approvalSteps: number;
      currentWorkflowState: { number: number } | null;
      pendingRequestId: string | null;
    }[] = answer.json().items;
    const ids = items.map((i) => `${i.kind}:${i.id}`);
    expect(ids).not.toContain('composite_role:Employee');
    expect(ids).not.toContain('resource_type:LdapAccount');
    expect(items.find((i) => i.id === 'DirectoryAdmin')).toMatchObject({
      approvalSteps: 2,
      currentWorkflowState: null,
      category: 'Directory',
      categoryName: 'Directory access',
    });
    expect(items.find((i) => i.id === 'EngineeringGroup')).toMatchObject({
      approvalSteps: 1,
      currentWorkflowState: { number: W.Calculated },
    });
    expect(items.find((i) => i.id === 'LdapAdminAccount')).toMatchObject({ kind: 'resource_type', approvalSteps: 2 });

    const created = await user.post(`/api/directory/Person/${personId('E00025')}/requests`, {
      itemKind: 'single_role',
      itemId: 'DirectoryAdmin',
    });
    expect(created.statusCode).toBe(201);
    const again: typeof items = (await user.get(`/api/directory/Person/${personId('E00025')}/requestable`)).json()
      .items;
    expect(again.find((i) => i.id === 'DirectoryAdmin')).toMatchObject({
      pendingRequestId: created.json().id,
      currentWorkflowState: { number: W.PendingApproval1Of2 },
    });
    const permissions = (await user.get(`/api/directory/Person/${personId('E00025')}/permissions`)).json().items;
    expect(permissions.find((a: { id: string }) => a.id === `sr:${personId('E00025')}:DirectoryAdmin`)).toMatchObject({
      workflowState: { number: W.PendingApproval1Of2, name: 'Pending Approval 1 of 2' },
      pendingRequestId: created.json().id,
    });
  });
});
