import { describe, expect, it } from 'vitest';
import {
  type AssignedNavigation,
  type AssignedSingleRole,
  type Assignment,
  assignmentIds,
} from '../../../src/assignments.ts';
import { ProvisioningState as P, WorkflowState as W, type WorkflowState } from '../../../src/states.ts';
import {
  account,
  compositeRoleRule,
  correlationRule,
  evaluate,
  group,
  NOW,
  navigationRule,
  person,
  queryRule,
  row,
  singleRoleRule,
  typeRule,
} from '../../support/evaluate-fixtures.ts';
import { expr } from '../../support/expr.ts';
import { model, resourceType, role } from '../../support/model-builder.ts';

const john = person('john', { firstName: 'John', lastName: 'Doe', department: 'IT' });
const rtId = assignmentIds.resourceType('john', 'AD');
const navId = (groupId: string) => assignmentIds.navigation(rtId, 'memberOf', groupId);
const roleId = (r: string) => assignmentIds.singleRole('john', r);
const correlation = correlationRule({
  id: 'ad-by-number',
  resourceType: 'AD',
  source: 'identity.employeeId',
  target: 'resource.employeeNumber',
});
const groups = [group('g-server', 'cn=ServerRoom'), group('g-ops', 'cn=operations'), group('g-sales', 'cn=sales')];
const johnAccount = (memberOf: string[] = []) => account('acc-john', { uid: 'jdoe', employeeNumber: 'john' }, memberOf);

/** A role request as the request workflow stores it. */
const requested = (
  r: string,
  workflowState: WorkflowState,
  over: Partial<AssignedSingleRole> = {},
): AssignedSingleRole => ({
  kind: 'single_role',
  id: roleId(r),
  ownerId: 'john',
  roleId: r,
  inferredFrom: null,
  workflowState,
  startDate: null,
  endDate: null,
  ruleId: null,
  ...over,
});

// ServerRoom gives group cn=ServerRoom; the AD account comes with the role (DESIGN §2.9).
const serverRoomModel = (over: { gracePeriodMinutes?: number; typeRule?: boolean; review?: boolean } = {}) =>
  model({
    resourceTypes: [resourceType({ id: 'AD', requireProvisioningReview: over.review ?? false })],
    singleRoles: [role({ id: 'ServerRoom', approvalSteps: 2, gracePeriodMinutes: over.gracePeriodMinutes ?? 0 })],
    rules: {
      types: over.typeRule ? [typeRule({ id: 'ad-everyone', resourceType: 'AD' })] : [],
      navigations: [
        navigationRule({ id: 'nav-server', resourceType: 'AD', value: 'cn=ServerRoom', singleRole: 'ServerRoom' }),
      ],
      correlations: [correlation],
    },
  });

const nav = (result: { assignments: readonly Assignment[] }, groupId: string) =>
  row(result, navId(groupId), 'navigation');

describe('scenarios 7 and 8: role approval states come from stored assignments', () => {
  it.each([W.Requested, W.PendingApproval1Of2, W.PendingApproval2Of2, W.Declined])(
    'a single role in workflow %i grants nothing downstream',
    (state) => {
      const result = evaluate(serverRoomModel(), john, { existing: [requested('ServerRoom', state)], targets: groups });
      expect(row(result, roleId('ServerRoom')).workflowState).toBe(state);
      expect(result.assignments.filter((a) => a.kind !== 'single_role')).toEqual([]);
      expect(result.changes).toEqual([]);
    },
  );

  it('a single role in 16 Approved gives the navigation (and the account it needs, 118)', () => {
    const result = evaluate(serverRoomModel(), john, {
      existing: [requested('ServerRoom', W.Approved)],
      targets: groups,
    });
    expect(row(result, rtId, 'resource_type')).toMatchObject({ workflowState: W.GivenByRole, pendingOperation: 'add' });
    expect(nav(result, 'g-server')).toMatchObject({
      workflowState: W.Calculated,
      provisioningState: P.Pending,
      pendingOperation: 'add',
      ruleId: 'nav-server',
    });
  });

  it('items inferred from a role that is then declined are cancelled (20) and deprovisioned', () => {
    const approved = evaluate(serverRoomModel({ typeRule: true }), john, {
      existing: [requested('ServerRoom', W.Approved)],
      targets: [...groups, johnAccount(['g-server'])],
    });
    expect(nav(approved, 'g-server').provisioningState).toBe(P.Verified);
    const declined = approved.assignments.map((a) =>
      a.id === roleId('ServerRoom') ? { ...(a as AssignedSingleRole), workflowState: W.Declined } : a,
    );
    const result = evaluate(serverRoomModel({ typeRule: true }), john, {
      existing: declined,
      targets: [...groups, johnAccount(['g-server'])],
    });
    expect(nav(result, 'g-server')).toMatchObject({
      workflowState: W.Cancellation,
      provisioningState: P.Pending,
      pendingOperation: 'remove',
    });
  });
});

describe('scenarios 9 and 10: requested roles (the request API is elsewhere)', () => {
  it.each([W.Requested, W.PendingApproval, W.PendingApproval1Of3, W.PendingApproval3Of3])(
    'workflow %i grants nothing',
    (state) => {
      const result = evaluate(serverRoomModel(), john, { existing: [requested('ServerRoom', state)], targets: groups });
      expect(result.assignments.some((a) => a.kind === 'navigation')).toBe(false);
    },
  );

  it('an implicitly approved request (16 straight away) grants at once', () => {
    const result = evaluate(serverRoomModel(), john, {
      existing: [requested('ServerRoom', W.Approved)],
      targets: groups,
    });
    expect(nav(result, 'g-server').pendingOperation).toBe('add');
  });
});

describe('scenario 19: group membership via a navigation rule', () => {
  it('an account in 4 gets memberOf=G in 1 Pending add, the account itself stays verified', () => {
    const result = evaluate(serverRoomModel({ typeRule: true }), john, {
      existing: [requested('ServerRoom', W.Approved)],
      targets: [...groups, johnAccount()],
    });
    expect(row(result, rtId, 'resource_type')).toMatchObject({
      provisioningState: P.Verified,
      targetResourceId: 'acc-john',
    });
    expect(nav(result, 'g-server')).toMatchObject({
      provisioningState: P.Pending,
      pendingOperation: 'add',
      valueResourceId: 'g-server',
    });
    expect(result.assignments.filter((a) => a.kind === 'scalar')).toEqual([]);
  });
});

describe('scenario 20: group removal when the role goes', () => {
  it('the membership goes to 1 Pending remove, then disappears once the group no longer has it', () => {
    const targets = [...groups, johnAccount(['g-server'])];
    const first = evaluate(serverRoomModel({ typeRule: true }), john, {
      existing: [requested('ServerRoom', W.Approved)],
      targets,
    });
    const withoutRole = first.assignments.filter((a) => a.id !== roleId('ServerRoom'));
    const result = evaluate(serverRoomModel({ typeRule: true }), john, { existing: withoutRole, targets });
    expect(nav(result, 'g-server')).toMatchObject({ provisioningState: P.Pending, pendingOperation: 'remove' });
    const again = evaluate(serverRoomModel({ typeRule: true }), john, { existing: result.assignments, targets });
    expect(again.changes).toEqual([]);
    const removed = evaluate(serverRoomModel({ typeRule: true }), john, {
      existing: result.assignments,
      targets: [...groups, johnAccount([])],
    });
    expect(removed.removedIds).toContain(navId('g-server'));
  });
});

describe('scenario 21: a navigation rule creates the account', () => {
  it('the owner holds the role and has no account: the resource type is 118 Given by a Role, to be added with G', () => {
    const result = evaluate(serverRoomModel(), john, {
      existing: [requested('ServerRoom', W.Approved)],
      targets: groups,
    });
    expect(row(result, rtId, 'resource_type')).toMatchObject({
      workflowState: W.GivenByRole,
      provisioningState: P.Pending,
      pendingOperation: 'add',
      ruleId: 'nav-server',
    });
    expect(nav(result, 'g-server').pendingOperation).toBe('add');
  });

  it('a group missing from the synchronized data is a 7 Error on that membership, with a clear message', () => {
    const result = evaluate(serverRoomModel(), john, { existing: [requested('ServerRoom', W.Approved)], targets: [] });
    const broken = result.assignments.find((a) => a.kind === 'navigation') as AssignedNavigation;
    expect(broken.provisioningState).toBe(P.Error);
    expect(broken.message).toContain('"cn=ServerRoom"');
    expect(broken.message).toContain('does not exist');
    expect(result.errors).toContainEqual(
      expect.objectContaining({ ruleId: 'nav-server', code: 'LINKED_RESOURCE_MISSING' }),
    );
  });
});

describe('scenario 22: query rule confidence', () => {
  const departments = [group('dep-it', 'cn=IT,ou=departments'), group('dep-it-name', 'cn=Information,ou=departments')];
  const queryModel = model({
    resourceTypes: [resourceType({ id: 'AD' })],
    rules: {
      types: [typeRule({ id: 'ad-everyone', resourceType: 'AD' })],
      queries: [
        queryRule({
          id: 'q-by-code',
          resourceType: 'AD',
          confidence: 120,
          source: '"cn=" + identity.department + ",ou=departments"',
          target: 'resource.dn',
        }),
        queryRule({
          id: 'q-by-name',
          resourceType: 'AD',
          confidence: 80,
          source: 'identity.lastName',
          target: 'resource.dn',
        }),
      ],
      correlations: [correlation],
    },
  });

  it('the 120 rule matches: its value is used automatically', () => {
    const result = evaluate(queryModel, john, { targets: [...departments, johnAccount()] });
    expect(nav(result, 'dep-it')).toMatchObject({ confidence: 120, provisioningState: P.Pending, ruleId: 'q-by-code' });
  });

  it('only the 80 rule matches: the value waits for review in 5', () => {
    const byName = model({
      resourceTypes: [resourceType({ id: 'AD' })],
      rules: {
        ...queryModel.rules,
        queries: [
          queryRule({
            id: 'q-by-code',
            resourceType: 'AD',
            confidence: 120,
            source: '"nothing"',
            target: 'resource.dn',
          }),
          queryRule({
            id: 'q-by-name',
            resourceType: 'AD',
            confidence: 80,
            source: '"cn=Information,ou=departments"',
            target: 'resource.dn',
          }),
        ],
      },
    });
    const result = evaluate(byName, john, { targets: [...departments, johnAccount()] });
    expect(nav(result, 'dep-it-name')).toMatchObject({
      confidence: 80,
      provisioningState: P.AwaitingApproval,
      pendingOperation: 'add',
    });
  });
});

describe('scenarios 30 and 31: reverse deduction', () => {
  const deductionModel = (shared = false) =>
    model({
      resourceTypes: [resourceType({ id: 'AD' })],
      singleRoles: [role({ id: 'R' }), role({ id: 'SalesMgr' }), role({ id: 'Other' })],
      rules: {
        types: [typeRule({ id: 'ad-everyone', resourceType: 'AD' })],
        navigations: [
          navigationRule({ id: 'nav-r', resourceType: 'AD', value: 'cn=ServerRoom', singleRole: 'R' }),
          navigationRule({ id: 'nav-ops', resourceType: 'AD', value: 'cn=operations', singleRole: 'SalesMgr' }),
          navigationRule({ id: 'nav-sales', resourceType: 'AD', value: 'cn=sales', singleRole: 'SalesMgr' }),
          ...(shared
            ? [navigationRule({ id: 'nav-sales-other', resourceType: 'AD', value: 'cn=sales', singleRole: 'Other' })]
            : []),
        ],
        correlations: [correlation],
      },
    });

  it('30: one group ↔ one role: the role appears pre-existing (3) on first sync and no order is produced', () => {
    const result = evaluate(deductionModel(), john, {
      targets: [...groups, johnAccount(['g-server'])],
      firstSynchronization: true,
    });
    expect(row(result, roleId('R')).workflowState).toBe(W.PreExisting);
    expect(nav(result, 'g-server')).toMatchObject({ provisioningState: P.Verified, workflowState: W.Calculated });
    expect(result.assignments.filter((a) => 'pendingOperation' in a && a.pendingOperation !== null)).toEqual([]);
  });

  it('31: one role ↔ several groups, one found: the role is deduced and the missing membership is ordered', () => {
    const result = evaluate(deductionModel(), john, { targets: [...groups, johnAccount(['g-sales'])] });
    expect(row(result, roleId('SalesMgr')).workflowState).toBe(W.NonConforming);
    expect(nav(result, 'g-ops')).toMatchObject({ provisioningState: P.Pending, pendingOperation: 'add' });
    expect(nav(result, 'g-sales').provisioningState).toBe(P.Verified);
  });

  it('31: a group shared by two roles deduces nothing; the membership is found (1) with no order', () => {
    const result = evaluate(deductionModel(true), john, { targets: [...groups, johnAccount(['g-sales'])] });
    expect(result.assignments.some((a) => a.kind === 'single_role')).toBe(false);
    expect(nav(result, 'g-sales')).toMatchObject({
      workflowState: W.NonConforming,
      provisioningState: P.Verified,
      pendingOperation: null,
    });
  });
});

describe('scenario 44: expiry and grace period', () => {
  const yesterday = '2025-06-14T10:00:00.000Z';
  it('a manual role that ended yesterday is removed, and its group membership removal is ordered', () => {
    const targets = [...groups, johnAccount(['g-server'])];
    const first = evaluate(serverRoomModel({ typeRule: true }), john, {
      existing: [requested('ServerRoom', W.Approved, { endDate: '2025-07-01T00:00:00.000Z' })],
      targets,
    });
    const expiring = first.assignments.map((a) =>
      a.id === roleId('ServerRoom') ? { ...(a as AssignedSingleRole), endDate: yesterday } : a,
    );
    const result = evaluate(serverRoomModel({ typeRule: true }), john, { existing: expiring, targets });
    expect(result.removedIds).toContain(roleId('ServerRoom'));
    expect(result.changes).toContainEqual(
      expect.objectContaining({ assignmentId: roleId('ServerRoom'), event: 'expired', to: W.Inactive }),
    );
    expect(nav(result, 'g-server')).toMatchObject({ provisioningState: P.Pending, pendingOperation: 'remove' });
  });

  it('an automatic role lost with a 7-day grace period is 27 Prolonged, then removed once it passes', () => {
    const week = 7 * 24 * 60;
    const m = (it: boolean) =>
      model({
        singleRoles: [role({ id: 'ServerRoom', gracePeriodMinutes: week })],
        resourceTypes: [resourceType({ id: 'AD' })],
        rules: {
          ...serverRoomModel().rules,
          singleRoles: [
            singleRoleRule({
              id: 'it-server',
              role: 'ServerRoom',
              when: expr(`identity.department == "${it ? 'IT' : 'none'}"`),
            }),
          ],
        },
      });
    const first = evaluate(m(true), john, { targets: groups });
    expect(row(first, roleId('ServerRoom')).workflowState).toBe(W.Calculated);
    const lost = evaluate(m(false), john, { targets: groups, existing: first.assignments });
    expect(row(lost, roleId('ServerRoom'))).toMatchObject({
      workflowState: W.Prolonged,
      endDate: '2025-06-22T10:00:00.000Z',
    });
    // Still held during the grace period: the membership stays wanted.
    expect(nav(lost, 'g-server').pendingOperation).toBe('add');
    const stillLost = evaluate(m(false), john, { targets: groups, existing: lost.assignments });
    expect(stillLost.changes).toEqual([]);
    const later = evaluate(m(false), john, {
      targets: groups,
      existing: lost.assignments,
      now: '2025-06-23T00:00:00.000Z',
    });
    expect(later.removedIds).toContain(roleId('ServerRoom'));
    const regained = evaluate(m(true), john, { targets: groups, existing: lost.assignments });
    expect(row(regained, roleId('ServerRoom')).workflowState).toBe(W.Calculated);
  });
});

describe('composite roles and denied rules', () => {
  const composite = (denySingle: boolean, denyComposite = false) =>
    model({
      resourceTypes: [resourceType({ id: 'AD' })],
      compositeRoles: [role({ id: 'ITStaff' })],
      singleRoles: [role({ id: 'ServerRoom' }), role({ id: 'Wiki' })],
      rules: {
        compositeRoles: [
          compositeRoleRule({ id: 'it-staff', role: 'ITStaff', when: expr('identity.department == "IT"') }),
          compositeRoleRule({ id: 'it-suggested', role: 'Wiki', type: 'suggested' }),
          ...(denyComposite ? [compositeRoleRule({ id: 'no-it-staff', role: 'ITStaff', denied: true })] : []),
        ],
        singleRoles: [
          singleRoleRule({ id: 'staff-server', role: 'ServerRoom', compositeRole: 'ITStaff' }),
          ...(denySingle ? [singleRoleRule({ id: 'no-server', role: 'ServerRoom', denied: true })] : []),
        ],
        navigations: [
          navigationRule({ id: 'nav-server', resourceType: 'AD', value: 'cn=ServerRoom', singleRole: 'ServerRoom' }),
        ],
      },
    });

  it('a composite role infers its single roles, which grant downstream', () => {
    const result = evaluate(composite(false), john, { targets: groups });
    expect(row(result, assignmentIds.compositeRole('john', 'ITStaff')).workflowState).toBe(W.Calculated);
    expect(row(result, roleId('ServerRoom'), 'single_role')).toMatchObject({
      workflowState: W.Calculated,
      inferredFrom: 'ITStaff',
    });
    expect(nav(result, 'g-server').pendingOperation).toBe('add');
  });

  it('a suggested composite role is 21 and grants nothing', () => {
    const result = evaluate(composite(false), john, { targets: groups });
    expect(row(result, assignmentIds.compositeRole('john', 'Wiki')).workflowState).toBe(W.Suggested);
  });

  it('a denied single role is not assigned although a rule gives it, and it is reported', () => {
    const result = evaluate(composite(true), john, { targets: groups });
    expect(result.assignments.some((a) => a.id === roleId('ServerRoom'))).toBe(false);
    expect(result.assignments.some((a) => a.kind === 'navigation')).toBe(false);
    expect(result.denials).toContainEqual(
      expect.objectContaining({ ruleId: 'no-server', assignmentId: roleId('ServerRoom') }),
    );
  });

  it('a denied role removes a manual assignment of it', () => {
    const result = evaluate(
      composite(true),
      { ...john, values: { ...john.values, department: 'Sales' } },
      {
        targets: groups,
        existing: [requested('ServerRoom', W.Approved)],
      },
    );
    expect(result.removedIds).toContain(roleId('ServerRoom'));
    expect(result.changes).toContainEqual(
      expect.objectContaining({ assignmentId: roleId('ServerRoom'), event: 'denied', to: null }),
    );
  });

  it('a denied composite role gives no inferred single roles', () => {
    const result = evaluate(composite(false, true), john, { targets: groups });
    expect(result.assignments.filter((a) => a.kind === 'single_role')).toEqual([]);
    expect(result.denials.map((d) => d.ruleId)).toContain('no-it-staff');
  });
});

it('the fixture date is the one the tests reason about', () => {
  expect(NOW).toBe('2025-06-15T10:00:00.000Z');
});
