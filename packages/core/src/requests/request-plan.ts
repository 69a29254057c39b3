import type { WorkflowEvent } from '../lifecycle/workflow-lifecycle.ts';
import { workflowTransition } from '../lifecycle/workflow-lifecycle.ts';
import type { ApprovalSteps, Model } from '../model.ts';
import { manualWorkflowStates, WorkflowState as W, type WorkflowState } from '../states.ts';

/**
 * Manual requests ("Modify Permissions", reference spec §10) and their approval (§3.5 I): pure
 * decisions. The server's use cases read the rows, call these, and persist what they return.
 */

export type RequestItemKind = 'single_role' | 'composite_role' | 'resource_type';
export const requestItemKinds: readonly RequestItemKind[] = ['single_role', 'composite_role', 'resource_type'];
export type RequestAction = 'add' | 'remove';
export type RequestStatus = 'pending' | 'approved' | 'declined' | 'cancelled';
export type RequestDecisionKind = 'approve' | 'decline';

/** What can be asked for: a role or a resource type, with what its approval needs. */
export interface RequestableItem {
  readonly kind: RequestItemKind;
  readonly id: string;
  readonly displayName: string;
  readonly category: string | null;
  /** The entity type of the identities that may hold it (a resource type's source entity type). */
  readonly entityType: string;
  /** null: not requestable. */
  readonly approvalSteps: ApprovalSteps;
  readonly implicitApproval: boolean;
  /** Manual assignments end after this long (roles; 0 = no limit). */
  readonly maxDurationMinutes: number;
}

/** A decision taken on its own when nobody decided in time (server-wide policy). */
export interface AutoDecisionPolicy {
  readonly afterMinutes: number;
  readonly decision: RequestDecisionKind;
}

/** A request as the decisions see it (the server's row, without storage details). */
export interface RequestSnapshot {
  readonly id: string;
  readonly ownerId: string;
  readonly itemKind: RequestItemKind;
  readonly itemId: string;
  readonly action: RequestAction;
  readonly requestedBy: string;
  readonly steps: number;
  /** Steps approved so far. */
  readonly approvals: number;
  readonly status: RequestStatus;
  readonly version: number;
}

/** One workflow move of the request's assignment, for the ledger. */
export interface WorkflowMove {
  readonly from: WorkflowState | null;
  readonly to: WorkflowState | null;
  readonly event: string;
  readonly message: string | null;
}

export type RequestRefusalCode =
  | 'UNKNOWN_ITEM'
  | 'NOT_REQUESTABLE'
  | 'WRONG_ENTITY_TYPE'
  | 'INVALID_PERIOD'
  | 'REQUEST_ALREADY_PENDING'
  | 'ALREADY_ASSIGNED'
  | 'NOT_ASSIGNED'
  | 'NOT_MANUALLY_ASSIGNED'
  | 'REQUEST_ALREADY_DECIDED'
  | 'SELF_APPROVAL_REFUSED'
  | 'STEP_ALREADY_DECIDED_BY_YOU';

export interface RequestRefusal {
  readonly ok: false;
  readonly code: RequestRefusalCode;
  readonly message: string;
}

const refuse = (code: RequestRefusalCode, message: string): RequestRefusal => ({ ok: false, code, message });

export function findRequestableItem(model: Model, kind: RequestItemKind, id: string): RequestableItem | undefined {
  if (kind === 'resource_type') {
    const rt = model.resourceTypes[id];
    if (!rt) return undefined;
    return {
      kind,
      id,
      displayName: rt.displayName,
      category: rt.category,
      entityType: rt.sourceEntityType,
      approvalSteps: rt.approvalSteps,
      implicitApproval: rt.implicitApproval,
      maxDurationMinutes: 0,
    };
  }
  const role = (kind === 'single_role' ? model.singleRoles : model.compositeRoles)[id];
  if (!role) return undefined;
  return {
    kind,
    id,
    displayName: role.displayName,
    category: role.category,
    entityType: role.entityType,
    approvalSteps: role.approvalSteps,
    implicitApproval: role.implicitApproval,
    maxDurationMinutes: role.maxDurationMinutes,
  };
}

/** Every item an identity of `entityType` may request, by kind then id. */
export function requestableItems(model: Model, entityType: string): RequestableItem[] {
  const items: RequestableItem[] = [];
  const collect = (kind: RequestItemKind, ids: readonly string[]) => {
    for (const id of [...ids].sort()) {
      const item = findRequestableItem(model, kind, id);
      if (item && item.entityType === entityType && item.approvalSteps !== null) items.push(item);
    }
  };
  collect('composite_role', Object.keys(model.compositeRoles));
  collect('single_role', Object.keys(model.singleRoles));
  collect('resource_type', Object.keys(model.resourceTypes));
  return items;
}

/** "1 of 2": the step a pending request waits for. */
export function stepLabel(request: Pick<RequestSnapshot, 'approvals' | 'steps'>): string {
  return `${request.approvals + 1} of ${request.steps}`;
}

/** The workflow state of an add request's assignment while `approvals` of `steps` are given. */
export function pendingWorkflowState(steps: number, approvals: number): WorkflowState {
  if (steps <= 1) return W.PendingApproval;
  if (steps === 2) return approvals === 0 ? W.PendingApproval1Of2 : W.PendingApproval2Of2;
  return approvals === 0 ? W.PendingApproval1Of3 : approvals === 1 ? W.PendingApproval2Of3 : W.PendingApproval3Of3;
}

/** Workflow states a new add request may replace: nothing, or a refused earlier request. */
const replaceableStates: ReadonlySet<WorkflowState> = new Set([W.Declined, W.Inactive]);

export interface PlanRequestInput {
  readonly item: RequestableItem | undefined;
  /** What was asked for, to name it when unknown. */
  readonly itemRef: { readonly kind: RequestItemKind; readonly id: string };
  readonly ownerEntityType: string;
  readonly action: RequestAction;
  readonly startDate: string | null;
  readonly endDate: string | null;
  /** Workflow state of the existing assignment of the item, if any. */
  readonly existingState: WorkflowState | null;
  readonly hasPendingRequest: boolean;
  /** The requester holds the item's review permission with the owner in scope. */
  readonly requesterMayReview: boolean;
  readonly now: string;
  readonly autoDecision: AutoDecisionPolicy | null;
}

export interface RequestPlan {
  readonly ok: true;
  readonly steps: number;
  readonly status: RequestStatus;
  readonly approvals: number;
  readonly implicit: boolean;
  /** The assignment's workflow state after creation; null for a removal (the row stays as it is). */
  readonly workflowState: WorkflowState | null;
  readonly moves: readonly WorkflowMove[];
  readonly autoDecision: RequestDecisionKind | null;
  readonly autoDecideAt: string | null;
  /** The period the assignment gets: the requested one, capped by the role's maximum duration. */
  readonly startDate: string | null;
  readonly endDate: string | null;
}

/**
 * Plans a new request: validates it and walks the workflow table from "requested" to where the
 * approval plan puts it (Pending Approval 1 of n, or Approved at once for 0 steps or an implicit
 * approval). A removal keeps the assignment as it is while it waits, and cancels it once approved.
 */
export function planRequest(input: PlanRequestInput): RequestPlan | RequestRefusal {
  const { item, itemRef } = input;
  if (!item) return refuse('UNKNOWN_ITEM', `there is no ${itemRef.kind.replace('_', ' ')} "${itemRef.id}"`);
  if (item.entityType !== input.ownerEntityType) {
    return refuse('WRONG_ENTITY_TYPE', `${item.id} is for ${item.entityType} identities, not ${input.ownerEntityType}`);
  }
  if (item.approvalSteps === null) return refuse('NOT_REQUESTABLE', `${item.id} cannot be requested`);
  if (input.startDate !== null && input.endDate !== null && Date.parse(input.endDate) < Date.parse(input.startDate)) {
    return refuse('INVALID_PERIOD', `the end date ${input.endDate} is before the start date ${input.startDate}`);
  }
  if (input.hasPendingRequest) {
    return refuse('REQUEST_ALREADY_PENDING', `a request for ${item.id} is already waiting for approval`);
  }
  const existing = input.existingState;
  if (input.action === 'add' && existing !== null && !replaceableStates.has(existing)) {
    return refuse('ALREADY_ASSIGNED', `${item.id} is already assigned (workflow state ${existing})`);
  }
  if (input.action === 'remove') {
    if (existing === null) return refuse('NOT_ASSIGNED', `${item.id} is not assigned`);
    if (!manualWorkflowStates.has(existing)) {
      return refuse(
        'NOT_MANUALLY_ASSIGNED',
        `${item.id} is not a manual assignment (workflow state ${existing}): rules and reconciliation decide it`,
      );
    }
  }
  const steps = item.approvalSteps;
  const implicit = steps > 0 && item.implicitApproval && input.requesterMayReview;
  const autoDecideAt =
    input.autoDecision && steps > 0 && !implicit ? addMinutes(input.now, input.autoDecision.afterMinutes) : null;
  let endDate = input.endDate;
  if (item.maxDurationMinutes > 0) {
    const cap = addMinutes(input.startDate ?? input.now, item.maxDurationMinutes);
    if (endDate === null || Date.parse(endDate) > Date.parse(cap)) endDate = cap;
  }
  const base = {
    ok: true as const,
    steps,
    startDate: input.startDate,
    endDate,
    implicit,
    autoDecision: autoDecideAt === null ? null : (input.autoDecision?.decision ?? null),
    autoDecideAt,
  };
  if (input.action === 'remove') {
    if (steps === 0 || implicit) {
      return {
        ...base,
        status: 'approved',
        approvals: steps,
        workflowState: W.Cancellation,
        moves: [removalMove(existing as WorkflowState, implicit)],
      };
    }
    return { ...base, status: 'pending', approvals: 0, workflowState: null, moves: [] };
  }
  const moves: WorkflowMove[] = [];
  const requested = step(moves, null, 'requested', null);
  if (steps === 0) {
    const to = step(moves, requested, 'processed_no_approval', null);
    return { ...base, status: 'approved', approvals: 0, workflowState: to, moves };
  }
  if (implicit) {
    const to = step(moves, requested, 'processed_no_approval', 'implicitly approved: the requester may approve it');
    return { ...base, status: 'approved', approvals: steps, workflowState: to, moves };
  }
  const event: WorkflowEvent =
    steps === 1 ? 'processed_one_step' : steps === 2 ? 'processed_two_steps' : 'processed_three_steps';
  const to = step(moves, requested, event, null);
  return { ...base, status: 'pending', approvals: 0, workflowState: to, moves };
}

export interface DecideInput {
  readonly request: RequestSnapshot;
  readonly decision: RequestDecisionKind;
  /** Who decides (the actor), and whether that is the requester. */
  readonly reviewer: string;
  /** Reviewers of the earlier steps of this request. */
  readonly earlierReviewers: readonly string[];
  /** The step the reviewer saw (1-based); the decision is refused if the request moved on. */
  readonly expectedStep: number | null;
  /** The assignment's current workflow state (for an add request: its pending state). */
  readonly assignmentState: WorkflowState | null;
  /** A decision taken by the auto-decision policy rather than a person. */
  readonly automatic: boolean;
}

export interface DecideResult {
  readonly ok: true;
  readonly request: RequestSnapshot;
  /** The step decided (1-based). */
  readonly step: number;
  /** What the assignment becomes; undefined = unchanged (a removal waiting for its next step). */
  readonly workflowState: WorkflowState | null | undefined;
  readonly moves: readonly WorkflowMove[];
  /** The request reached its final state. */
  readonly final: boolean;
}

/**
 * One reviewer's decision on the step a request waits for. Approving the last step approves the
 * request; declining any step declines it. A person cannot decide on their own request (that is
 * what implicit approval is for), nor approve two steps of one request (each step is another
 * pair of eyes). The decision applies to the step the reviewer saw: if the request moved on in
 * the meantime, it is refused rather than applied to a step the reviewer never looked at.
 */
/**
 * The person behind an actor: `account:alice` (a session) and `token:alice/ci` (one of alice's API
 * tokens) are both alice, so a token is no second pair of eyes on its owner's request.
 */
export function personOf(actor: string): string {
  const account = /^(?:account|token):([^/]+)/.exec(actor);
  return account?.[1] !== undefined ? `person:${account[1]}` : actor;
}

/** True when two actors are the same person (see `personOf`). */
export function samePerson(a: string, b: string): boolean {
  return personOf(a) === personOf(b);
}

export function decideRequest(input: DecideInput): DecideResult | RequestRefusal {
  const { request } = input;
  if (request.status !== 'pending') {
    return refuse('REQUEST_ALREADY_DECIDED', `request ${request.id} is already ${request.status}`);
  }
  const stepNumber = request.approvals + 1;
  if (input.expectedStep !== null && input.expectedStep !== stepNumber) {
    return refuse(
      'REQUEST_ALREADY_DECIDED',
      `step ${input.expectedStep} of request ${request.id} was already decided; it now waits for step ${stepLabel(request)}`,
    );
  }
  if (!input.automatic) {
    if (samePerson(input.reviewer, request.requestedBy)) {
      return refuse('SELF_APPROVAL_REFUSED', 'nobody decides on their own request');
    }
    if (input.decision === 'approve' && input.earlierReviewers.some((r) => samePerson(r, input.reviewer))) {
      return refuse('STEP_ALREADY_DECIDED_BY_YOU', `you approved an earlier step of request ${request.id}`);
    }
  }
  const by = input.automatic ? 'automatically ' : '';
  const moves: WorkflowMove[] = [];
  if (input.decision === 'decline') {
    const next: RequestSnapshot = { ...request, status: 'declined', version: request.version + 1 };
    if (request.action === 'remove') {
      // Declining a removal keeps the assignment as it was.
      return { ok: true, request: next, step: stepNumber, workflowState: undefined, moves, final: true };
    }
    const to = step(moves, input.assignmentState, 'declined', `${by}declined at step ${stepLabel(request)}`);
    return { ok: true, request: next, step: stepNumber, workflowState: to, moves, final: true };
  }
  const approvals = request.approvals + 1;
  const final = approvals >= request.steps;
  const next: RequestSnapshot = {
    ...request,
    approvals,
    status: final ? 'approved' : 'pending',
    version: request.version + 1,
  };
  if (request.action === 'remove') {
    if (!final) return { ok: true, request: next, step: stepNumber, workflowState: undefined, moves, final };
    const move = removalMove(input.assignmentState ?? W.Approved, false);
    moves.push(move);
    return { ok: true, request: next, step: stepNumber, workflowState: W.Cancellation, moves, final };
  }
  const to = step(moves, input.assignmentState, 'step_approved', `${by}approved step ${stepLabel(request)}`);
  return { ok: true, request: next, step: stepNumber, workflowState: to, moves, final };
}

/** Cancelling by the requester: the pending add request's assignment goes away. */
export function cancelRequest(
  request: RequestSnapshot,
  by: string,
  assignmentState: WorkflowState | null,
):
  | { ok: true; request: RequestSnapshot; workflowState: null | undefined; moves: readonly WorkflowMove[] }
  | RequestRefusal {
  if (request.status !== 'pending') {
    return refuse('REQUEST_ALREADY_DECIDED', `request ${request.id} is already ${request.status}`);
  }
  if (!samePerson(by, request.requestedBy)) {
    return refuse('SELF_APPROVAL_REFUSED', 'only the requester can cancel a request');
  }
  const next: RequestSnapshot = { ...request, status: 'cancelled', version: request.version + 1 };
  if (request.action === 'remove') return { ok: true, request: next, workflowState: undefined, moves: [] };
  return {
    ok: true,
    request: next,
    workflowState: null,
    moves: [{ from: assignmentState, to: null, event: 'request_cancelled', message: `cancelled by ${by}` }],
  };
}

/** Requests whose auto decision is due. */
export function autoDecisionDue(
  request: { readonly status: RequestStatus; readonly autoDecideAt: string | null },
  now: string,
): boolean {
  return (
    request.status === 'pending' && request.autoDecideAt !== null && Date.parse(request.autoDecideAt) <= Date.parse(now)
  );
}

/*
 * The workflow table has no "approved removal" pair for manual assignments: the request sends
 * them to Cancellation (20), the state in which the engine removes them and cancels what they
 * gave, as a reconciliation removal does.
 */
function removalMove(from: WorkflowState, implicit: boolean): WorkflowMove {
  return {
    from,
    to: W.Cancellation,
    event: 'removal_approved',
    message: implicit ? 'removal implicitly approved' : 'removal approved',
  };
}

function step(moves: WorkflowMove[], from: WorkflowState | null, event: WorkflowEvent, message: string | null) {
  const result = workflowTransition(from, event);
  if (!result.ok) throw new Error(result.message);
  moves.push({ from, to: result.state, event, message });
  return result.state as WorkflowState;
}

function addMinutes(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * 60_000).toISOString();
}
