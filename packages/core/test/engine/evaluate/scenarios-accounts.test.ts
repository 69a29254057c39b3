import { describe, expect, it } from 'vitest';
import { type AssignedResourceType, type AssignedScalar, assignmentIds } from '../../../src/assignments.ts';
import { ProvisioningState as P, WorkflowState as W } from '../../../src/states.ts';
import {
  account,
  correlationRule,
  evaluate,
  person,
  row,
  scalarRule,
  typeRule,
} from '../../support/evaluate-fixtures.ts';
import { expr } from '../../support/expr.ts';
import { model, resourceType } from '../../support/model-builder.ts';

// One AD-like account per person, correlated by employee number (reference spec §12).
const adModel = (over: Partial<Parameters<typeof resourceType>[0]> = {}, confidence = 100) =>
  model({
    resourceTypes: [resourceType({ id: 'AD', ...over })],
    rules: {
      types: [typeRule({ id: 'ad-everyone', resourceType: 'AD' })],
      scalars: [
        scalarRule({
          id: 'ad-uid',
          resourceType: 'AD',
          property: 'uid',
          expression: 'identity.firstName + "." + identity.lastName',
        }),
        scalarRule({
          id: 'ad-display',
          resourceType: 'AD',
          property: 'displayName',
          expression: 'identity.firstName + " " + identity.lastName',
        }),
      ],
      correlations: [
        correlationRule({
          id: 'ad-by-number',
          resourceType: 'AD',
          source: 'identity.employeeId',
          target: 'resource.employeeNumber',
          confidence,
        }),
      ],
    },
  });

const alice = person('alice', { firstName: 'Alice', lastName: 'Martin' });
const rtId = assignmentIds.resourceType('alice', 'AD');
const uidId = assignmentIds.scalar(rtId, 'uid');
const displayId = assignmentIds.scalar(rtId, 'displayName');

describe('scenario 1: automatic account creation', () => {
  it('assigns the resource type and its scalars in 1 Pending, workflow 18, to be added', () => {
    const result = evaluate(adModel(), alice);
    const rt = row(result, rtId, 'resource_type');
    expect(rt).toMatchObject({ workflowState: W.Calculated, provisioningState: P.Pending, pendingOperation: 'add' });
    expect(rt.targetResourceId).toBeNull();
    expect(row(result, uidId, 'scalar')).toMatchObject({
      computedValue: 'Alice.Martin',
      workflowState: W.Calculated,
      provisioningState: P.Pending,
      pendingOperation: 'add',
    });
    expect(row(result, displayId, 'scalar').computedValue).toBe('Alice Martin');
    expect(result.errors).toEqual([]);
    const scalarChange = result.changes.find((c) => c.assignmentId === uidId && c.stateKind === 'provisioning');
    expect(scalarChange).toMatchObject({
      from: null,
      to: P.Pending,
      event: 'computed_missing',
      ruleId: 'ad-uid',
      expressionResult: 'Alice.Martin',
    });
  });
});

describe('scenario 2: no order when already compliant', () => {
  it('correlates the existing account at 100 and verifies every value', () => {
    const existingAccount = account('acc-1', {
      uid: 'Alice.Martin',
      displayName: 'Alice Martin',
      employeeNumber: 'alice',
    });
    const result = evaluate(adModel(), alice, { targets: [existingAccount] });
    const rt = row(result, rtId, 'resource_type');
    expect(rt).toMatchObject({
      targetResourceId: 'acc-1',
      confidence: 100,
      provisioningState: P.Verified,
      pendingOperation: null,
    });
    expect(row(result, uidId, 'scalar').provisioningState).toBe(P.Verified);
    expect(row(result, displayId, 'scalar').provisioningState).toBe(P.Verified);
    expect(result.assignments.filter((a) => 'pendingOperation' in a && a.pendingOperation !== null)).toEqual([]);
  });

  it('does not correlate an account another identity owns', () => {
    const taken = account('acc-1', { uid: 'x', employeeNumber: 'alice' });
    const result = evaluate(adModel(), alice, {
      targets: [taken],
      ownership: [{ resourceId: 'acc-1', ownerId: 'bob' }],
    });
    expect(row(result, rtId, 'resource_type')).toMatchObject({ targetResourceId: null, pendingOperation: 'add' });
  });
});

describe('scenario 3: low-confidence correlation → association review', () => {
  it('proposes the account in 5 Awaiting Approval with confidence 80 and no write', () => {
    const candidate = account('acc-1', { uid: 'amartin', employeeNumber: 'alice' });
    const result = evaluate(adModel({}, 80), alice, { targets: [candidate] });
    const rt = row(result, rtId, 'resource_type');
    expect(rt).toMatchObject({
      targetResourceId: 'acc-1',
      confidence: 80,
      provisioningState: P.AwaitingApproval,
      pendingOperation: null,
    });
    expect(rt.message).toContain('confidence 80');
    // Values wait for the association to be decided.
    expect(result.assignments.some((a) => a.kind === 'scalar')).toBe(false);
  });

  it('once a reviewer approved the association, the account is linked and its values compared', () => {
    const candidate = account('acc-1', { uid: 'Alice.Martin', displayName: 'A. Martin', employeeNumber: 'alice' });
    const first = evaluate(adModel({}, 80), alice, { targets: [candidate] });
    const approved = first.assignments.map((a) =>
      a.id === rtId ? { ...(a as AssignedResourceType), provisioningState: P.Pending } : a,
    );
    const result = evaluate(adModel({}, 80), alice, { targets: [candidate], existing: approved });
    expect(row(result, rtId, 'resource_type')).toMatchObject({
      targetResourceId: 'acc-1',
      provisioningState: P.Verified,
    });
    expect(row(result, uidId, 'scalar').provisioningState).toBe(P.Verified);
    expect(row(result, displayId, 'scalar')).toMatchObject({
      provisioningState: P.Pending,
      pendingOperation: 'update',
    });
  });
});

describe('scenario 4: resource type requiring provisioning review', () => {
  it('puts the creation and its values in 5 Awaiting Approval', () => {
    const result = evaluate(adModel({ requireProvisioningReview: true }), alice);
    expect(row(result, rtId, 'resource_type')).toMatchObject({
      provisioningState: P.AwaitingApproval,
      pendingOperation: 'add',
    });
    expect(row(result, uidId, 'scalar').provisioningState).toBe(P.AwaitingApproval);
  });

  it('scenario 41: the job switch blocks every type, or bypasses review', () => {
    expect(row(evaluate(adModel(), alice, { review: 'all' }), rtId).workflowState).toBe(W.Calculated);
    expect(row(evaluate(adModel(), alice, { review: 'all' }), rtId, 'resource_type').provisioningState).toBe(
      P.AwaitingApproval,
    );
    const bypass = evaluate(adModel({ requireProvisioningReview: true }), alice, { review: 'none' });
    expect(row(bypass, rtId, 'resource_type').provisioningState).toBe(P.Pending);
  });
});

describe('scenario 5: decline in provisioning review', () => {
  const reviewed = adModel({ requireProvisioningReview: true });
  const declineUid = (rows: readonly ReturnType<typeof evaluate>['assignments'][number][]) =>
    rows.map((a) => (a.id === uidId ? { ...(a as AssignedScalar), provisioningState: P.None, declined: true } : a));

  it('a declined value is not proposed again while the computation is unchanged', () => {
    const first = evaluate(reviewed, alice);
    const result = evaluate(reviewed, alice, { existing: declineUid(first.assignments) });
    expect(row(result, uidId, 'scalar')).toMatchObject({ provisioningState: P.None, declined: true });
    expect(result.changes.filter((c) => c.assignmentId === uidId)).toEqual([]);
  });

  it('is proposed again once the computation gives another value', () => {
    const first = evaluate(reviewed, alice);
    const renamed = person('alice', { firstName: 'Alice', lastName: 'Durand' });
    const result = evaluate(reviewed, renamed, { existing: declineUid(first.assignments) });
    expect(row(result, uidId, 'scalar')).toMatchObject({
      computedValue: 'Alice.Durand',
      provisioningState: P.AwaitingApproval,
      declined: false,
    });
  });
});

describe('scenario 6: postpone', () => {
  it('an item left in 5 stays in 5 with no change', () => {
    const reviewed = adModel({ requireProvisioningReview: true });
    const first = evaluate(reviewed, alice);
    const again = evaluate(reviewed, alice, { existing: first.assignments });
    expect(row(again, rtId, 'resource_type').provisioningState).toBe(P.AwaitingApproval);
    expect(again.changes).toEqual([]);
  });
});

describe('scenario 23: scalar update from a source change', () => {
  it('only the changed scalar goes to 1 Pending update', () => {
    const acc = account('acc-1', { uid: 'Alice.Martin', displayName: 'Alice Martin', employeeNumber: 'alice' });
    const first = evaluate(adModel(), alice, { targets: [acc] });
    const married = person('alice', { firstName: 'Alice', lastName: 'Durand' });
    const m = model({
      resourceTypes: [resourceType({ id: 'AD' })],
      rules: {
        types: [typeRule({ id: 'ad-everyone', resourceType: 'AD' })],
        scalars: [
          scalarRule({
            id: 'ad-uid',
            resourceType: 'AD',
            property: 'uid',
            expression: 'identity.firstName + ".martin"',
            comparison: 'ignore_case',
          }),
          scalarRule({
            id: 'ad-display',
            resourceType: 'AD',
            property: 'displayName',
            expression: 'identity.firstName + " " + identity.lastName',
          }),
        ],
        correlations: [
          correlationRule({
            id: 'ad-by-number',
            resourceType: 'AD',
            source: 'identity.employeeId',
            target: 'resource.employeeNumber',
          }),
        ],
      },
    });
    const result = evaluate(m, married, { targets: [acc], existing: first.assignments });
    expect(row(result, displayId, 'scalar')).toMatchObject({
      computedValue: 'Alice Durand',
      currentValue: 'Alice Martin',
      provisioningState: P.Pending,
      pendingOperation: 'update',
    });
    // "Alice.martin" equals "Alice.Martin" ignoring case: still verified.
    expect(row(result, uidId, 'scalar').provisioningState).toBe(P.Verified);
    expect(row(result, rtId, 'resource_type').provisioningState).toBe(P.Verified);
  });
});

describe('scenario 24: manual change in the target', () => {
  it('a verified value changed in the system becomes non-conforming (workflow 1) with no order', () => {
    const acc = account('acc-1', { uid: 'Alice.Martin', displayName: 'Alice Martin', employeeNumber: 'alice' });
    const first = evaluate(adModel(), alice, { targets: [acc] });
    const edited = account('acc-1', { uid: 'Alice.Martin', displayName: 'Boss Alice', employeeNumber: 'alice' });
    const result = evaluate(adModel(), alice, { targets: [edited], existing: first.assignments });
    expect(row(result, displayId, 'scalar')).toMatchObject({
      workflowState: W.NonConforming,
      provisioningState: P.Verified,
      pendingOperation: null,
      currentValue: 'Boss Alice',
      computedValue: 'Alice Martin',
    });
    expect(result.changes).toContainEqual(
      expect.objectContaining({
        assignmentId: displayId,
        event: 'target_changed',
        from: W.Calculated,
        to: W.NonConforming,
      }),
    );
    const again = evaluate(adModel(), alice, { targets: [edited], existing: result.assignments });
    expect(again.changes).toEqual([]);
  });

  it('a value still being written (1 Pending) is not raised as non-conforming', () => {
    const acc = account('acc-1', { uid: 'Alice.Martin', displayName: 'Old', employeeNumber: 'alice' });
    const first = evaluate(adModel(), alice, { targets: [acc] });
    expect(row(first, displayId, 'scalar').provisioningState).toBe(P.Pending);
    const again = evaluate(adModel(), alice, { targets: [acc], existing: first.assignments });
    expect(row(again, displayId, 'scalar')).toMatchObject({
      provisioningState: P.Pending,
      workflowState: W.Calculated,
    });
    expect(again.changes).toEqual([]);
  });

  it('an executed value the system now shows is verified', () => {
    const acc = account('acc-1', { uid: 'Alice.Martin', displayName: 'Alice Martin', employeeNumber: 'alice' });
    const first = evaluate(adModel(), alice, { targets: [acc] });
    const executed = first.assignments.map((a) =>
      a.id === displayId
        ? { ...(a as AssignedScalar), provisioningState: P.Executed, pendingOperation: 'update' as const }
        : a,
    );
    const result = evaluate(adModel(), alice, { targets: [acc], existing: executed });
    expect(row(result, displayId, 'scalar')).toMatchObject({ provisioningState: P.Verified, pendingOperation: null });
    expect(result.changes).toContainEqual(
      expect.objectContaining({ assignmentId: displayId, event: 'verified', from: P.Executed }),
    );
  });
});

describe('scenario 25: protected value against a source change', () => {
  const acc = account('acc-1', { uid: 'Alice.Martin', displayName: 'Boss Alice', employeeNumber: 'alice' });
  const kept = (m: ReturnType<typeof adModel>) => {
    const first = evaluate(m, alice, { targets: [acc] });
    // "keep current" in reconciliation: the person protects the value the system holds.
    return first.assignments.map((a) =>
      a.id === displayId
        ? { ...(a as AssignedScalar), workflowState: W.Approved, provisioningState: P.Verified, pendingOperation: null }
        : a,
    );
  };
  const renamed = person('alice', { firstName: 'Alice', lastName: 'Durand' });

  it('is left alone while the source does not change', () => {
    const result = evaluate(adModel(), alice, { targets: [acc], existing: kept(adModel()) });
    expect(row(result, displayId).workflowState).toBe(W.Approved);
    expect(result.changes).toEqual([]);
  });

  it('becomes 24 Approved – Questioned with no order when the source changes', () => {
    const result = evaluate(adModel(), renamed, { targets: [acc], existing: kept(adModel()) });
    expect(row(result, displayId, 'scalar')).toMatchObject({
      workflowState: W.ApprovedQuestioned,
      provisioningState: P.Verified,
      pendingOperation: null,
      computedValue: 'Alice Durand',
    });
  });

  it('is overwritten when discardManualAssignments is on', () => {
    const m = adModel({ discardManualAssignments: true });
    const result = evaluate(m, renamed, { targets: [acc], existing: kept(m) });
    expect(row(result, displayId, 'scalar')).toMatchObject({
      provisioningState: P.Pending,
      pendingOperation: 'update',
      computedValue: 'Alice Durand',
    });
  });
});

describe('scenario 26: allowAdd=false', () => {
  it('no creation is sent: the assignment waits for a person, then values are managed once the account correlates', () => {
    const m = adModel({ allowAdd: false });
    const first = evaluate(m, alice);
    const rt = row(first, rtId, 'resource_type');
    expect(rt.targetResourceId).toBeNull();
    expect(rt.message).toContain('allowAdd=false');
    const acc = account('acc-1', { uid: 'Alice.Martin', displayName: 'Someone', employeeNumber: 'alice' });
    const later = evaluate(m, alice, { targets: [acc], existing: first.assignments });
    expect(row(later, rtId, 'resource_type')).toMatchObject({
      targetResourceId: 'acc-1',
      provisioningState: P.Verified,
      message: null,
    });
    expect(row(later, displayId, 'scalar')).toMatchObject({ provisioningState: P.Pending, pendingOperation: 'update' });
  });
});

describe('scenarios 27 and 28: the resource type is no longer given', () => {
  const acc = account('acc-1', { uid: 'Alice.Martin', displayName: 'Alice Martin', employeeNumber: 'alice' });
  const withDept = (department: string) => person('alice', { firstName: 'Alice', lastName: 'Martin', department });
  const itOnly = (allowRemove: boolean) =>
    model({
      resourceTypes: [resourceType({ id: 'AD', allowRemove })],
      rules: {
        types: [typeRule({ id: 'ad-it', resourceType: 'AD', when: expr('identity.department == "IT"') })],
        correlations: adModel().rules.correlations,
      },
    });

  it('27: allowRemove=false → non-conforming (workflow 1), no deletion', () => {
    const first = evaluate(itOnly(false), withDept('IT'), { targets: [acc] });
    expect(row(first, rtId, 'resource_type').provisioningState).toBe(P.Verified);
    const result = evaluate(itOnly(false), withDept('Sales'), { targets: [acc], existing: first.assignments });
    expect(row(result, rtId, 'resource_type')).toMatchObject({
      workflowState: W.NonConforming,
      provisioningState: P.Verified,
      pendingOperation: null,
    });
    // A person confirms the deletion in reconciliation (workflow 20): the removal order follows.
    const confirmed = result.assignments.map((a) =>
      a.id === rtId ? { ...(a as AssignedResourceType), workflowState: W.Cancellation } : a,
    );
    const after = evaluate(itOnly(false), withDept('Sales'), { targets: [acc], existing: confirmed });
    expect(row(after, rtId, 'resource_type')).toMatchObject({
      provisioningState: P.Pending,
      pendingOperation: 'remove',
    });
  });

  it('28: allowRemove=true → removal in 1 Pending (5 with review), then gone once the account is', () => {
    const first = evaluate(itOnly(true), withDept('IT'), { targets: [acc] });
    const result = evaluate(itOnly(true), withDept('Sales'), { targets: [acc], existing: first.assignments });
    expect(row(result, rtId, 'resource_type')).toMatchObject({
      provisioningState: P.Pending,
      pendingOperation: 'remove',
    });
    const reviewed = evaluate(itOnly(true), withDept('Sales'), {
      targets: [acc],
      existing: first.assignments,
      review: 'all',
    });
    expect(row(reviewed, rtId, 'resource_type').provisioningState).toBe(P.AwaitingApproval);
    const deleted = evaluate(itOnly(true), withDept('Sales'), { targets: [], existing: result.assignments });
    expect(deleted.removedIds).toContain(rtId);
    expect(deleted.assignments.some((a) => a.id === rtId)).toBe(false);
  });
});

describe('a resource type requested by a person, while its approval is pending', () => {
  const requested: AssignedResourceType = {
    kind: 'resource_type',
    id: rtId,
    ownerId: 'alice',
    workflowState: W.PendingApproval1Of2,
    startDate: '2026-11-28T09:00:00.000Z',
    endDate: null,
    ruleId: null,
    resourceTypeId: 'AD',
    provisioningState: P.None,
    pendingOperation: null,
    message: null,
    declined: false,
    targetResourceId: null,
    confidence: null,
  };
  // No type rule gives AD: only the request justifies it, once approved.
  const requestable = model({
    resourceTypes: [resourceType({ id: 'AD' })],
    rules: {
      scalars: [scalarRule({ id: 'ad-uid', resourceType: 'AD', property: 'uid', expression: 'identity.firstName' })],
    },
  });

  it('is kept as the request workflow left it, with nothing to provision', () => {
    const result = evaluate(requestable, alice, { existing: [requested] });
    expect(row(result, rtId, 'resource_type')).toEqual(requested);
    expect(result.removedIds).not.toContain(rtId);
    expect(result.assignments.find((a) => a.id === uidId)).toBeUndefined();
  });

  it('is provisioned once approved', () => {
    const result = evaluate(requestable, alice, { existing: [{ ...requested, workflowState: W.Approved }] });
    expect(row(result, rtId, 'resource_type')).toMatchObject({
      workflowState: W.Approved,
      provisioningState: P.Pending,
      pendingOperation: 'add',
    });
    expect(row(result, uidId, 'scalar').computedValue).toBe('Alice');
  });
});
