import { randomUUID } from 'node:crypto';
import { type Assignment, ProvisioningState as P, WorkflowState as W } from '@ordo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigurationFolder } from '../../src/config/read-configuration-folder.ts';
import { createOrdoRuntime } from '../../src/ordo-runtime.ts';
import { hashPassword } from '../../src/security/password-hashing.ts';
import { applyConfiguration } from '../../src/use-cases/configuration.ts';
import { runAutoDecisions } from '../../src/use-cases/requests/manage-requests.ts';
import {
  type ApiClient,
  type ApiFixture,
  exampleFolder,
  password,
  personId,
  signInClient,
  startApiFixture,
} from './api-fixture.ts';

describe.each(['sqlite', 'postgres'] as const)('requests and role review (%s)', (dialect) => {
  let fixture: ApiFixture;
  let officer: ApiClient;
  let admin: ApiClient;
  let manager: ApiClient;
  let user: ApiClient;
  let reviewer2: ApiClient;

  beforeAll(async () => {
    fixture = await startApiFixture({ dialect });
    await fixture.stores.accounts.create({
      id: 'account-reviewer2',
      login: 'reviewer2',
      displayName: 'Second reviewer',
      passwordHash: await hashPassword(password),
      identityId: null,
      profiles: ['RoleOfficer'],
      at: fixture.clock.now(),
    });
    officer = await fixture.as('officer');
    admin = await fixture.as('admin');
    manager = await fixture.as('manager');
    user = await fixture.as('user');
    reviewer2 = await signInClient((o) => fixture.runtime.app.inject(o), 'reviewer2');
  }, 60_000);
  afterAll(() => fixture?.close());

  const requestFor = (client: ApiClient, employeeId: string, body: Record<string, unknown>) =>
    client.post(`/api/directory/Person/${personId(employeeId)}/requests`, body);
  const decide = (client: ApiClient, requestId: string, decision: 'approve' | 'decline', step: number) =>
    client.post(`/api/role-review/Person/${requestId}/decision`, {
      decision,
      step,
      comment: `${decision} by ${client.login}`,
    });
  const assignment = (id: string): Promise<Assignment | undefined> => fixture.stores.assignments.get(id);
  const auditCount = async (targetId: string, action?: string) =>
    (await fixture.stores.audit.list({ targetKind: 'request', targetId, limit: 500 })).filter(
      (r) => action === undefined || r.action === action,
    ).length;

  it('walks a two-step request through two reviewers to Approved, and provisioning follows', async () => {
    const created = await requestFor(user, 'E00025', {
      itemKind: 'single_role',
      itemId: 'DirectoryAdmin',
      comment: 'on-call rota',
    });
    expect(created.statusCode).toBe(201);
    const request = created.json();
    expect(request).toMatchObject({
      status: 'pending',
      steps: 2,
      approvals: 0,
      step: '1 of 2',
      requestedBy: 'account:user',
    });
    // The role's maximum duration (30 days) caps the end date.
    expect(request.endDate).toBe('2026-12-28T09:00:00.000Z');
    const srId = `sr:${personId('E00025')}:DirectoryAdmin`;
    expect((await assignment(srId))?.workflowState).toBe(W.PendingApproval1Of2);
    // The reviewers are told, in the request's transaction: those holding the exact review path
    // whose scope reaches E00025 (the officers, and E00025's manager), not admin (a parent path).
    const told = async (step: string) =>
      (await fixture.stores.notifications.list({ kind: 'role_review.waiting', limit: 500 }))
        .filter((n) => n.body.includes(request.id) && n.subject.includes(step))
        .map((n) => n.recipient)
        .sort();
    expect(await told('step 1 of 2')).toEqual(['manager', 'officer', 'reviewer2']);

    // Listed for the officer (all) and for the manager (E00025 is a report), with the step.
    const listed = (await officer.get('/api/role-review/Person')).json();
    expect(listed.items.find((i: { id: string }) => i.id === request.id)).toMatchObject({
      step: '1 of 2',
      mayDecide: true,
    });
    const forManager = (await manager.get('/api/role-review/Person')).json();
    expect(forManager.items.map((i: { id: string }) => i.id)).toContain(request.id);

    // The requester cannot approve; nobody without the review permission can either.
    expect((await decide(user, request.id, 'approve', 1)).statusCode).toBe(403);

    const first = await decide(officer, request.id, 'approve', 1);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'pending', approvals: 1, step: '2 of 2' });
    expect((await assignment(srId))?.workflowState).toBe(W.PendingApproval2Of2);
    expect(await told('step 2 of 2')).toEqual(['manager', 'officer', 'reviewer2']);
    // The same reviewer may not approve the second step too.
    const again = await decide(officer, request.id, 'approve', 2);
    expect(again.statusCode).toBe(403);
    expect(again.json().code).toBe('STEP_ALREADY_DECIDED_BY_YOU');

    const second = await decide(admin, request.id, 'approve', 2);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ status: 'approved', approvals: 2, step: null });
    expect(second.json().decisions.map((d: { decidedBy: string }) => d.decidedBy)).toEqual([
      'account:officer',
      'account:admin',
    ]);
    expect((await assignment(srId))?.workflowState).toBe(W.Approved);

    await fixture.runtime.pipeline.request();
    const permissions = (await officer.get(`/api/directory/Person/${personId('E00025')}/permissions`)).json().items;
    const role = permissions.find((a: { id: string }) => a.id === srId);
    expect(role.workflowState).toEqual({ number: W.Approved, name: 'Approved' });
    expect(role.timeline.map((e: { event: string }) => e.event)).toEqual([
      'requested',
      'processed_two_steps',
      'step_approved',
      'step_approved',
    ]);
    // LdapAdminAccount needs provisioning review: its assignments wait there.
    const adminAccount = permissions.find((a: { id: string }) => a.id === `rt:${personId('E00025')}:LdapAdminAccount`);
    expect([W.Calculated, W.GivenByRole]).toContain(adminAccount.workflowState.number);
    expect(adminAccount.provisioningState).toEqual({ number: P.AwaitingApproval, name: 'Awaiting Approval' });
    const membership = permissions.find(
      (a: { kind: string; label: string }) => a.kind === 'navigation' && a.label.includes('directory-admins'),
    );
    expect(membership.provisioningState.number).toBe(P.AwaitingApproval);
    expect(await auditCount(request.id)).toBe(3);
    expect((await user.get(`/api/requests/${request.id}`)).json().status).toBe('approved');
  });

  it('gives a one-step resource-free role at once with zero steps, and removes it by request', async () => {
    const created = await requestFor(officer, 'E00001', { itemKind: 'single_role', itemId: 'ManagersGroup' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ status: 'approved', steps: 0 });
    const srId = `sr:${personId('E00001')}:ManagersGroup`;
    expect((await assignment(srId))?.workflowState).toBe(W.Approved);
    await fixture.runtime.pipeline.request();
    const nav = (await officer.get(`/api/directory/Person/${personId('E00001')}/permissions`))
      .json()
      .items.find((a: { kind: string; label: string }) => a.kind === 'navigation' && a.label.includes('cn=managers'));
    expect(nav.provisioningState.number).toBe(P.Pending);

    const removal = await requestFor(officer, 'E00001', {
      itemKind: 'single_role',
      itemId: 'ManagersGroup',
      action: 'remove',
    });
    expect(removal.statusCode).toBe(201);
    expect(removal.json()).toMatchObject({ status: 'approved', action: 'remove' });
    // Cancellation (20) at once; the pipeline, started by the approval, then removes it.
    const events = (await fixture.stores.ledger.byAssignment(srId)).map((e) => [e.event, e.to]);
    expect(events).toContainEqual(['removal_approved', W.Cancellation]);
    await fixture.runtime.pipeline.request();
    expect(await assignment(srId)).toBeUndefined();
    // A rule-given role cannot be removed by request.
    const ruled = await requestFor(officer, 'E00001', {
      itemKind: 'single_role',
      itemId: 'EngineeringGroup',
      action: 'remove',
    });
    expect(ruled.statusCode).toBe(409);
    expect(ruled.json().code).toBe('NOT_MANUALLY_ASSIGNED');
  });

  it('tracks a requested resource type on the request while it waits, provisions it once approved', async () => {
    const created = await requestFor(officer, 'E00050', { itemKind: 'resource_type', itemId: 'LdapAdminAccount' });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const rtId = `rt:${personId('E00050')}:LdapAdminAccount`;
    // The assignment row carries the request's workflow state while it waits; a recomputation keeps
    // it as it is and orders nothing (the request workflow owns it, as it owns requested roles).
    await fixture.stores.resources.markDirty([personId('E00050')]);
    await fixture.runtime.pipeline.request();
    expect(await assignment(rtId)).toMatchObject({ workflowState: W.PendingApproval1Of2, provisioningState: P.None });
    const ordersOf = async () =>
      (await fixture.stores.orders.list({ ownerId: personId('E00050'), limit: 1000 })).filter(
        (o) => o.assignedResourceTypeId === rtId,
      );
    expect(await ordersOf()).toEqual([]);
    expect((await fixture.stores.ledger.byAssignment(rtId)).map((e) => e.to)).toEqual([
      W.Requested,
      W.PendingApproval1Of2,
    ]);
    const requestable = (await officer.get(`/api/directory/Person/${personId('E00050')}/requestable`)).json().items;
    expect(requestable.find((i: { id: string }) => i.id === 'LdapAdminAccount').pendingRequestId).toBe(id);
    const shown = (await officer.get(`/api/directory/Person/${personId('E00050')}/permissions`)).json().items;
    expect(shown.find((a: { id: string }) => a.id === rtId)).toMatchObject({
      kind: 'resource_type',
      workflowState: { number: W.PendingApproval1Of2 },
      pendingRequestId: id,
    });
    expect((await decide(admin, id, 'approve', 1)).statusCode).toBe(200);
    expect((await decide(reviewer2, id, 'approve', 2)).json().status).toBe('approved');
    await fixture.runtime.pipeline.request();
    // A manual assignment of a type that requires provisioning review waits there.
    expect(await assignment(rtId)).toMatchObject({ workflowState: W.Approved, provisioningState: P.AwaitingApproval });

    // A declined request leaves its assignment Declined, and nothing is provisioned.
    const other = (await requestFor(officer, 'E00051', { itemKind: 'single_role', itemId: 'DirectoryAdmin' })).json();
    const declined = await decide(admin, other.id, 'decline', 1);
    expect(declined.json()).toMatchObject({ status: 'declined', decisions: [{ step: 1, decision: 'declined' }] });
    await fixture.runtime.pipeline.request();
    expect((await assignment(`sr:${personId('E00051')}:DirectoryAdmin`))?.workflowState).toBe(W.Declined);
    expect(await assignment(`rt:${personId('E00051')}:LdapAdminAccount`)).toBeUndefined();
  });

  it('refuses what cannot be requested, unknown items, bad periods and duplicates', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ itemKind: 'composite_role', itemId: 'Employee' }, 400, 'NOT_REQUESTABLE'],
      [{ itemKind: 'resource_type', itemId: 'LdapAccount' }, 400, 'NOT_REQUESTABLE'],
      [{ itemKind: 'single_role', itemId: 'Nope' }, 400, 'UNKNOWN_ITEM'],
      [
        {
          itemKind: 'single_role',
          itemId: 'DirectoryAdmin',
          startDate: '2026-12-10T00:00:00Z',
          endDate: '2026-12-01T00:00:00Z',
        },
        400,
        'INVALID_PERIOD',
      ],
      [{ itemKind: 'single_role', itemId: 'EngineeringGroup' }, 409, 'ALREADY_ASSIGNED'],
      [{ itemKind: 'single_role', itemId: 'DirectoryAdmin', extra: 1 }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const answer = await requestFor(officer, 'E00003', body);
      expect([answer.statusCode, answer.json().code]).toEqual([status, code]);
    }
    const first = await requestFor(officer, 'E00003', { itemKind: 'single_role', itemId: 'DirectoryAdmin' });
    expect(first.statusCode).toBe(201);
    const duplicate = await requestFor(officer, 'E00003', { itemKind: 'single_role', itemId: 'DirectoryAdmin' });
    expect([duplicate.statusCode, duplicate.json().code]).toEqual([409, 'REQUEST_ALREADY_PENDING']);
    // Two identical requests at the same moment: one is created.
    const [a, b] = await Promise.all([
      requestFor(officer, 'E00004', { itemKind: 'single_role', itemId: 'DirectoryAdmin' }),
      requestFor(admin, 'E00004', { itemKind: 'single_role', itemId: 'DirectoryAdmin' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
  });

  it('keeps the manager to their reports', async () => {
    const out = await requestFor(manager, 'E00001', { itemKind: 'single_role', itemId: 'DirectoryAdmin' });
    expect([out.statusCode, out.json().code]).toEqual([403, 'OUT_OF_SCOPE']);
    const created = (await requestFor(officer, 'E00002', { itemKind: 'single_role', itemId: 'DirectoryAdmin' })).json();
    const foreign = await decide(manager, created.id, 'approve', 1);
    expect([foreign.statusCode, foreign.json().code]).toEqual([403, 'OUT_OF_SCOPE']);
    const listed = (await manager.get('/api/role-review/Person')).json().items;
    expect(listed.every((i: { owner: { key: string } }) => ['E00006', 'E00025'].includes(i.owner.key))).toBe(true);
    const nobody = await fixture.as('nobody');
    expect((await nobody.get('/api/role-review/Person')).statusCode).toBe(403);
  });

  it("refuses an API token's approval of its own account's request: same person, not a second pair of eyes", async () => {
    const created = (
      await requestFor(officer, 'E00010', { itemKind: 'single_role', itemId: 'EngineeringGroup' })
    ).json();
    const { token } = (await officer.post('/api/tokens', { name: 'reviewer-bot' })).json();
    const viaToken = await fixture.runtime.app.inject({
      method: 'POST',
      url: `/api/role-review/Person/${created.id}/decision`,
      headers: { authorization: `Bearer ${token}` },
      payload: { decision: 'approve', step: 1 },
    });
    expect([viaToken.statusCode, viaToken.json().code]).toEqual([403, 'SELF_APPROVAL_REFUSED']);
    const listed = await fixture.runtime.app.inject({
      method: 'GET',
      url: '/api/role-review/Person?limit=500',
      headers: { authorization: `Bearer ${token}` },
    });
    const line = listed.json().items.find((r: { id: string }) => r.id === created.id);
    expect(line.mayDecide).toBe(false);
    expect((await fixture.stores.requests.get(created.id))?.status).toBe('pending');
  });

  it('lets the requester cancel, and nobody else', async () => {
    const created = (await requestFor(officer, 'E00005', { itemKind: 'single_role', itemId: 'DirectoryAdmin' })).json();
    expect((await admin.post(`/api/requests/${created.id}/cancel`)).statusCode).toBe(404);
    const cancelled = await officer.post(`/api/requests/${created.id}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    expect(await assignment(`sr:${personId('E00005')}:DirectoryAdmin`)).toBeUndefined();
    const late = await decide(admin, created.id, 'approve', 1);
    expect([late.statusCode, late.json().code]).toEqual([409, 'REQUEST_ALREADY_DECIDED']);
    expect(await auditCount(created.id, 'request.cancelled')).toBe(1);
    // And it can be asked for again.
    const again = await requestFor(officer, 'E00005', { itemKind: 'single_role', itemId: 'DirectoryAdmin' });
    expect(again.statusCode).toBe(201);
    // The identity's Requests tab lists both, whatever their status (the test clock stands still,
    // so "newest first" cannot be told apart here).
    const listed = await officer.get(`/api/directory/Person/${personId('E00005')}/requests`);
    expect(listed.statusCode).toBe(200);
    const statuses = new Map(listed.json().items.map((r: { id: string; status: string }) => [r.id, r.status]));
    expect(statuses.get(again.json().id)).toBe('pending');
    expect(statuses.get(created.id)).toBe('cancelled');
    // Outside the viewer's scope: refused, as the identity's other pages are.
    const outside = await user.get(`/api/directory/Person/${personId('E00005')}/requests`);
    expect([outside.statusCode, outside.json().code]).toEqual([403, 'OUT_OF_SCOPE']);
  });

  it('applies one of two simultaneous decisions on one step, and records it once', async () => {
    const rounds = 8;
    for (let round = 0; round < rounds; round++) {
      const employee = `E${String(100 + round).padStart(5, '0')}`;
      const created = await requestFor(officer, employee, { itemKind: 'single_role', itemId: 'DirectoryAdmin' });
      expect(created.statusCode).toBe(201);
      const id = created.json().id;
      // Two reviewers approve step 1 at the same moment.
      const both = await Promise.all([decide(admin, id, 'approve', 1), decide(reviewer2, id, 'approve', 1)]);
      const codes = both.map((r) => r.statusCode).sort();
      expect(codes).toEqual([200, 409]);
      expect(both.find((r) => r.statusCode === 409)?.json().code).toBe('REQUEST_ALREADY_DECIDED');
      const decisions = await fixture.stores.requests.decisions(id);
      expect(decisions.map((d) => d.step)).toEqual([1]);
      expect(await auditCount(id, 'request.step_approved')).toBe(1);
      const stored = await fixture.stores.requests.get(id);
      expect(stored).toMatchObject({ approvals: 1, status: 'pending', version: 1 });
      expect((await assignment(`sr:${personId(employee)}:DirectoryAdmin`))?.workflowState).toBe(W.PendingApproval2Of2);

      // On another request, one reviewer approves while the other declines.
      const second = `E${String(200 + round).padStart(5, '0')}`;
      const id2 = (await requestFor(officer, second, { itemKind: 'single_role', itemId: 'DirectoryAdmin' })).json().id;
      const mixed = await Promise.all([decide(admin, id2, 'approve', 1), decide(reviewer2, id2, 'decline', 1)]);
      expect(mixed.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      const winner = mixed.find((r) => r.statusCode === 200)?.json();
      const after = await fixture.stores.requests.get(id2);
      const row = await assignment(`sr:${personId(second)}:DirectoryAdmin`);
      if (winner.status === 'declined') {
        expect(after).toMatchObject({ status: 'declined', approvals: 0 });
        expect(row?.workflowState).toBe(W.Declined);
      } else {
        expect(after).toMatchObject({ status: 'pending', approvals: 1 });
        expect(row?.workflowState).toBe(W.PendingApproval2Of2);
      }
      expect(await fixture.stores.requests.decisions(id2)).toHaveLength(1);
      expect(await auditCount(id2)).toBe(2); // created + the one decision
      const ledger = await fixture.stores.ledger.byAssignment(`sr:${personId(second)}:DirectoryAdmin`);
      expect(ledger.filter((e) => e.event === 'step_approved' || e.event === 'declined')).toHaveLength(1);
    }
  }, 60_000);

  it('decides on its own after the delay', async () => {
    const runtime = await createOrdoRuntime({
      stores: fixture.stores,
      clock: fixture.clock,
      log: () => {},
      housekeepingMs: 3_600_000,
      requestAutoDecision: { afterMinutes: 60, decision: 'approve' },
    });
    try {
      const client = await signInClient((o) => runtime.app.inject(o), 'officer');
      const created = await client.post(`/api/directory/Person/${personId('E00030')}/requests`, {
        itemKind: 'single_role',
        itemId: 'DirectoryAdmin',
      });
      expect(created.json()).toMatchObject({ autoDecision: 'approve', autoDecideAt: '2026-11-28T10:00:00.000Z' });
      const id = created.json().id;
      const deps = {
        stores: fixture.stores,
        clock: fixture.clock,
        newId: randomUUID,
        models: runtime.models,
        pipeline: runtime.pipeline,
      };
      fixture.clock.set('2026-11-28T09:59:00.000Z');
      expect(await runAutoDecisions(deps)).toEqual({ approved: 0, declined: 0 });
      fixture.clock.set('2026-11-28T10:00:00.000Z');
      expect(await runAutoDecisions(deps)).toEqual({ approved: 1, declined: 0 });
      expect(await runAutoDecisions(deps)).toEqual({ approved: 0, declined: 0 });
      const stored = await fixture.stores.requests.get(id);
      expect(stored).toMatchObject({ status: 'approved', approvals: 2 });
      expect((await fixture.stores.requests.decisions(id)).map((d) => [d.step, d.decision])).toEqual([
        [1, 'auto_approved'],
        [2, 'auto_approved'],
      ]);
      expect((await assignment(`sr:${personId('E00030')}:DirectoryAdmin`))?.workflowState).toBe(W.Approved);
    } finally {
      fixture.clock.set('2026-11-28T09:00:00.000Z');
      await runtime.close();
    }
  });

  it('approves at once when the item allows implicit approval and the requester may review', async () => {
    const files = (await readConfigurationFolder(exampleFolder)).map((f) =>
      f.path === 'roles.yaml'
        ? { ...f, text: f.text.replace('    approval: 2\n', '    approval: 2\n    implicitApproval: true\n') }
        : f,
    );
    expect(files.find((f) => f.path === 'roles.yaml')?.text).toContain('implicitApproval: true');
    await applyConfiguration({ stores: fixture.stores, clock: fixture.clock }, files, { kind: 'job', id: 'test' });
    // The manager reviews their report E00015's requests: implicitly approved.
    const implicit = await requestFor(manager, 'E00015', { itemKind: 'single_role', itemId: 'DirectoryAdmin' });
    expect(implicit.statusCode).toBe(201);
    expect(implicit.json()).toMatchObject({ status: 'approved', approvals: 2 });
    expect(implicit.json().decisions).toHaveLength(2);
    expect(await auditCount(implicit.json().id, 'request.implicitly_approved')).toBe(1);
    const entries = await fixture.stores.ledger.byAssignment(`sr:${personId('E00015')}:DirectoryAdmin`);
    expect(entries.map((e) => e.event)).toEqual(['requested', 'processed_no_approval']);
    expect(entries.at(-1)?.message).toMatch(/implicitly approved/);
    // Out of the manager's scope the manager may not even ask.
    const out = await requestFor(manager, 'E00016', { itemKind: 'single_role', itemId: 'DirectoryAdmin' });
    expect(out.statusCode).toBe(403);
    // The user may not review: the same item (here its removal) waits for its steps.
    const byUser = await requestFor(user, 'E00025', {
      itemKind: 'single_role',
      itemId: 'DirectoryAdmin',
      action: 'remove',
    });
    expect(byUser.statusCode).toBe(201);
    expect(byUser.json()).toMatchObject({ status: 'pending', step: '1 of 2', approvals: 0 });
    expect((await assignment(`sr:${personId('E00025')}:DirectoryAdmin`))?.workflowState).toBe(W.Approved);
  });
});
