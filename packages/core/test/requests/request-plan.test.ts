import { describe, expect, it } from 'vitest';
import {
  autoDecisionDue,
  cancelRequest,
  decideRequest,
  findRequestableItem,
  type PlanRequestInput,
  planRequest,
  type RequestableItem,
  type RequestSnapshot,
  requestableItems,
  stepLabel,
} from '../../src/requests/request-plan.ts';
import { WorkflowState as W } from '../../src/states.ts';
import { model, resourceType, role } from '../support/model-builder.ts';

const now = '2026-11-28T09:00:00.000Z';
const item = (over: Partial<RequestableItem> = {}): RequestableItem => ({
  kind: 'single_role',
  id: 'Admin',
  displayName: 'Admin',
  category: null,
  entityType: 'Person',
  approvalSteps: 2,
  implicitApproval: false,
  maxDurationMinutes: 0,
  ...over,
});
const input = (over: Partial<PlanRequestInput> = {}): PlanRequestInput => ({
  item: item(),
  itemRef: { kind: 'single_role', id: 'Admin' },
  ownerEntityType: 'Person',
  action: 'add',
  startDate: null,
  endDate: null,
  existingState: null,
  hasPendingRequest: false,
  requesterMayReview: false,
  now,
  autoDecision: null,
  ...over,
});
const snapshot = (over: Partial<RequestSnapshot> = {}): RequestSnapshot => ({
  id: 'r1',
  ownerId: 'p1',
  itemKind: 'single_role',
  itemId: 'Admin',
  action: 'add',
  requestedBy: 'account:alice',
  steps: 2,
  approvals: 0,
  status: 'pending',
  version: 0,
  ...over,
});
const decideInput = (over: Partial<Parameters<typeof decideRequest>[0]> = {}) => ({
  request: snapshot(),
  decision: 'approve' as const,
  reviewer: 'account:bob',
  earlierReviewers: [],
  expectedStep: null,
  assignmentState: W.PendingApproval1Of2,
  automatic: false,
  ...over,
});

describe('requestable items', () => {
  const m = model({
    singleRoles: [role({ id: 'A', approvalSteps: 1 }), role({ id: 'N', approvalSteps: null })],
    compositeRoles: [role({ id: 'C', approvalSteps: 0 }), role({ id: 'D', entityType: 'Device' })],
    resourceTypes: [resourceType({ id: 'R', approvalSteps: 3, implicitApproval: true })],
  });
  it('lists requestable items of the entity type only, with their steps', () => {
    expect(requestableItems(m, 'Person').map((i) => [i.kind, i.id, i.approvalSteps])).toEqual([
      ['composite_role', 'C', 0],
      ['single_role', 'A', 1],
      ['resource_type', 'R', 3],
    ]);
    expect(findRequestableItem(m, 'resource_type', 'R')?.implicitApproval).toBe(true);
    expect(findRequestableItem(m, 'single_role', 'Nope')).toBeUndefined();
    expect(findRequestableItem(m, 'composite_role', 'D')?.entityType).toBe('Device');
  });
  it('labels steps', () => {
    expect(stepLabel({ approvals: 0, steps: 2 })).toBe('1 of 2');
    expect(stepLabel({ approvals: 2, steps: 3 })).toBe('3 of 3');
  });
});

describe('planRequest', () => {
  it.each([
    [0, 'approved', W.Approved, ['requested', 'processed_no_approval']],
    [1, 'pending', W.PendingApproval, ['requested', 'processed_one_step']],
    [2, 'pending', W.PendingApproval1Of2, ['requested', 'processed_two_steps']],
    [3, 'pending', W.PendingApproval1Of3, ['requested', 'processed_three_steps']],
  ] as const)('%d steps → %s, workflow %d', (steps, status, state, events) => {
    const plan = planRequest(input({ item: item({ approvalSteps: steps }) }));
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.status).toBe(status);
    expect(plan.workflowState).toBe(state);
    expect(plan.moves.map((m) => m.event)).toEqual(events);
    expect(plan.moves[0]?.from).toBeNull();
    expect(plan.moves[0]?.to).toBe(W.Requested);
    expect(plan.implicit).toBe(false);
  });

  it.each([
    ['UNKNOWN_ITEM', { item: undefined }],
    ['NOT_REQUESTABLE', { item: item({ approvalSteps: null }) }],
    ['WRONG_ENTITY_TYPE', { ownerEntityType: 'Device' }],
    ['INVALID_PERIOD', { startDate: '2026-12-01T00:00:00.000Z', endDate: '2026-11-30T00:00:00.000Z' }],
    ['REQUEST_ALREADY_PENDING', { hasPendingRequest: true }],
    ['ALREADY_ASSIGNED', { existingState: W.Calculated }],
    ['ALREADY_ASSIGNED', { existingState: W.PendingApproval }],
    ['NOT_ASSIGNED', { action: 'remove' }],
    ['NOT_MANUALLY_ASSIGNED', { action: 'remove', existingState: W.Calculated }],
  ] as const)('refuses %s', (code, over) => {
    const plan = planRequest(input(over as Partial<PlanRequestInput>));
    expect(plan).toMatchObject({ ok: false, code });
  });

  it('lets a new request replace a declined one', () => {
    expect(planRequest(input({ existingState: W.Declined })).ok).toBe(true);
  });

  it('approves at once when implicit approval applies and the requester may review', () => {
    const plan = planRequest(input({ item: item({ implicitApproval: true }), requesterMayReview: true }));
    expect(plan).toMatchObject({
      ok: true,
      status: 'approved',
      implicit: true,
      approvals: 2,
      workflowState: W.Approved,
    });
    if (plan.ok) expect(plan.moves.at(-1)?.message).toMatch(/implicitly approved/);
  });

  it('does not approve implicitly when the requester may not review, or the item does not allow it', () => {
    expect(planRequest(input({ item: item({ implicitApproval: true }) }))).toMatchObject({ implicit: false });
    expect(planRequest(input({ requesterMayReview: true }))).toMatchObject({ implicit: false, status: 'pending' });
  });

  it('sets the auto decision for requests that wait', () => {
    const plan = planRequest(input({ autoDecision: { afterMinutes: 60, decision: 'decline' } }));
    expect(plan).toMatchObject({ autoDecision: 'decline', autoDecideAt: '2026-11-28T10:00:00.000Z' });
    const none = planRequest(
      input({ item: item({ approvalSteps: 0 }), autoDecision: { afterMinutes: 60, decision: 'approve' } }),
    );
    expect(none).toMatchObject({ autoDecision: null, autoDecideAt: null });
  });

  it('caps the end date at the maximum duration of the role', () => {
    const capped = planRequest(input({ item: item({ maxDurationMinutes: 60 }), startDate: now }));
    expect(capped).toMatchObject({ endDate: '2026-11-28T10:00:00.000Z' });
    const kept = planRequest(
      input({ item: item({ maxDurationMinutes: 600 }), startDate: now, endDate: '2026-11-28T09:30:00.000Z' }),
    );
    expect(kept).toMatchObject({ endDate: '2026-11-28T09:30:00.000Z' });
  });

  it('keeps the assignment of a removal while it waits, and cancels it at once without steps', () => {
    expect(planRequest(input({ action: 'remove', existingState: W.Approved }))).toMatchObject({
      status: 'pending',
      workflowState: null,
      moves: [],
    });
    const at = planRequest(input({ action: 'remove', existingState: W.Approved, item: item({ approvalSteps: 0 }) }));
    expect(at).toMatchObject({ status: 'approved', workflowState: W.Cancellation });
  });
});

describe('decideRequest', () => {
  it('walks two steps to Approved', () => {
    const first = decideRequest(decideInput());
    expect(first).toMatchObject({ ok: true, step: 1, final: false, workflowState: W.PendingApproval2Of2 });
    if (!first.ok) return;
    expect(first.request).toMatchObject({ approvals: 1, status: 'pending', version: 1 });
    const second = decideRequest(
      decideInput({
        request: first.request,
        reviewer: 'account:carol',
        earlierReviewers: ['account:bob'],
        assignmentState: W.PendingApproval2Of2,
      }),
    );
    expect(second).toMatchObject({ ok: true, step: 2, final: true, workflowState: W.Approved });
    if (second.ok) expect(second.request).toMatchObject({ approvals: 2, status: 'approved', version: 2 });
  });

  it('walks three steps and one step', () => {
    let request = snapshot({ steps: 3 });
    let state: W | null = W.PendingApproval1Of3;
    const seen: (W | null | undefined)[] = [];
    for (const reviewer of ['b', 'c', 'd']) {
      const r = decideRequest(decideInput({ request, reviewer, assignmentState: state }));
      if (!r.ok) throw new Error(r.message);
      request = r.request;
      state = r.workflowState ?? null;
      seen.push(r.workflowState);
    }
    expect(seen).toEqual([W.PendingApproval2Of3, W.PendingApproval3Of3, W.Approved]);
    const one = decideRequest(decideInput({ request: snapshot({ steps: 1 }), assignmentState: W.PendingApproval }));
    expect(one).toMatchObject({ final: true, workflowState: W.Approved });
  });

  it('declines at any step', () => {
    const r = decideRequest(
      decideInput({ request: snapshot({ approvals: 1 }), decision: 'decline', assignmentState: W.PendingApproval2Of2 }),
    );
    expect(r).toMatchObject({ ok: true, final: true, workflowState: W.Declined, step: 2 });
    if (r.ok) expect(r.request.status).toBe('declined');
  });

  it.each([
    ['REQUEST_ALREADY_DECIDED', { request: snapshot({ status: 'approved' }) }],
    ['REQUEST_ALREADY_DECIDED', { request: snapshot({ status: 'cancelled' }) }],
    ['REQUEST_ALREADY_DECIDED', { expectedStep: 1, request: snapshot({ approvals: 1 }) }],
    ['SELF_APPROVAL_REFUSED', { reviewer: 'account:alice' }],
    ['SELF_APPROVAL_REFUSED', { reviewer: 'account:alice', decision: 'decline' }],
    // An API token acts for its account: it is the same person, not a second pair of eyes.
    ['SELF_APPROVAL_REFUSED', { reviewer: 'token:alice/ci' }],
    [
      'STEP_ALREADY_DECIDED_BY_YOU',
      { request: snapshot({ approvals: 1 }), earlierReviewers: ['token:bob/ci'], reviewer: 'account:bob' },
    ],
    ['STEP_ALREADY_DECIDED_BY_YOU', { request: snapshot({ approvals: 1 }), earlierReviewers: ['account:bob'] }],
  ] as const)('refuses %s', (code, over) => {
    expect(decideRequest(decideInput(over as never))).toMatchObject({ ok: false, code });
  });

  it('lets the automatic decision through whoever requested', () => {
    const r = decideRequest(decideInput({ reviewer: 'account:alice', automatic: true, decision: 'decline' }));
    expect(r).toMatchObject({ ok: true, workflowState: W.Declined });
    if (r.ok) expect(r.moves[0]?.message).toMatch(/automatically declined/);
  });

  it('cancels a manual assignment when its removal is approved, and keeps it when declined', () => {
    const removal = snapshot({ action: 'remove', steps: 1 });
    expect(decideRequest(decideInput({ request: removal, assignmentState: W.Approved }))).toMatchObject({
      ok: true,
      final: true,
      workflowState: W.Cancellation,
    });
    expect(
      decideRequest(decideInput({ request: removal, assignmentState: W.Approved, decision: 'decline' })),
    ).toMatchObject({ ok: true, final: true, workflowState: undefined });
    expect(
      decideRequest(decideInput({ request: snapshot({ action: 'remove' }), assignmentState: W.Approved })),
    ).toMatchObject({ ok: true, final: false, workflowState: undefined });
  });

  it('refuses to move an assignment the table does not allow', () => {
    expect(() => decideRequest(decideInput({ assignmentState: W.Calculated }))).toThrow(/not allowed/);
  });
});

describe('cancelRequest', () => {
  it('removes the pending assignment of an add request', () => {
    expect(cancelRequest(snapshot(), 'account:alice', W.PendingApproval1Of2)).toMatchObject({
      ok: true,
      workflowState: null,
      request: { status: 'cancelled', version: 1 },
    });
    expect(cancelRequest(snapshot({ action: 'remove' }), 'account:alice', W.Approved)).toMatchObject({
      ok: true,
      workflowState: undefined,
    });
  });
  it('is for the requester and pending requests only', () => {
    expect(cancelRequest(snapshot(), 'account:bob', null)).toMatchObject({ ok: false });
    expect(cancelRequest(snapshot({ status: 'declined' }), 'account:alice', null)).toMatchObject({
      ok: false,
      code: 'REQUEST_ALREADY_DECIDED',
    });
  });
});

describe('autoDecisionDue', () => {
  it('is due at the time, for pending requests only', () => {
    const at = '2026-11-28T10:00:00.000Z';
    expect(autoDecisionDue({ status: 'pending', autoDecideAt: at }, '2026-11-28T09:59:59.000Z')).toBe(false);
    expect(autoDecisionDue({ status: 'pending', autoDecideAt: at }, at)).toBe(true);
    expect(autoDecisionDue({ status: 'approved', autoDecideAt: at }, at)).toBe(false);
    expect(autoDecisionDue({ status: 'pending', autoDecideAt: null }, at)).toBe(false);
  });
});
