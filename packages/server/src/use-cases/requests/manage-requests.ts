import {
  type Cause,
  cancelRequest,
  type DecideResult,
  decideRequest,
  findRequestableItem,
  grants,
  inIdentityScope,
  type Model,
  planRequest,
  type RequestAction,
  type RequestDecisionKind,
  type RequestItemKind,
  type RequestRefusal,
  type RequestSnapshot,
  type Resource,
  samePerson,
  stepLabel,
  type WorkflowState,
} from '@ordo/core';
import { notifyRequestWaiting } from '../../notifications/notification-producers.ts';
import type { RequestDecisionRecord, RequestRecord, StoredDecision } from '../../storage/request-store.ts';
import type { Stores } from '../../storage/stores.ts';
import { decodeTimeCursor, encodeTimeCursor } from '../page-cursor.ts';
import { UseCaseError } from '../use-case-error.ts';
import {
  alreadyDecided,
  identityInScope,
  ledgerLines,
  mayReview,
  type RequestActor,
  type RequestDeps,
  refusalError,
  requestAssignmentId,
  requestedAssignment,
  requestWorkflowState,
} from './request-deps.ts';

/** A request as the API shows it. */
export interface RequestView {
  readonly id: string;
  readonly owner: { readonly id: string; readonly key: string; readonly entityType: string };
  readonly item: { readonly kind: RequestItemKind; readonly id: string; readonly displayName: string };
  readonly assignmentId: string;
  readonly action: RequestAction;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly comment: string | null;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly steps: number;
  readonly approvals: number;
  readonly status: RequestRecord['status'];
  /** "1 of 2" while pending, null once decided. */
  readonly step: string | null;
  readonly decidedAt: string | null;
  readonly autoDecision: RequestDecisionKind | null;
  readonly autoDecideAt: string | null;
  readonly decisions: Omit<RequestDecisionRecord, 'id' | 'requestId'>[];
}

export interface CreateRequestInput {
  readonly entityType: string;
  readonly ownerId: string;
  readonly itemKind: RequestItemKind;
  readonly itemId: string;
  readonly action: RequestAction;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly comment: string | null;
}

/**
 * Modify Permissions: asks for a role or a requestable resource type for an identity (or for the
 * removal of a manual assignment). The assignment row takes the request's workflow state at once
 * (Requested → Pending Approval 1 of n), in the same transaction as the request, its ledger lines
 * and its audit record. Zero steps, or an implicit approval (the item allows it and the requester
 * could approve it), approve at once and start provisioning.
 */
export async function createRequest(
  deps: RequestDeps,
  who: RequestActor,
  input: CreateRequestInput,
): Promise<RequestView> {
  const owner = await identityInScope(deps.stores, who, input.entityType, input.ownerId);
  const { model } = await deps.models.current();
  const item = findRequestableItem(model, input.itemKind, input.itemId);
  const assignmentId = requestAssignmentId(input.itemKind, owner.id, input.itemId);
  const cause: Cause = { kind: 'user', id: who.actor };
  const result = await deps.stores.transaction(async (tx) => {
    const now = deps.clock.now();
    await tx.requests.lockOwner(owner.id);
    const existing = await tx.assignments.get(assignmentId);
    const pending = await tx.requests.findPending(owner.id, input.itemKind, input.itemId);
    const plan = planRequest({
      item,
      itemRef: { kind: input.itemKind, id: input.itemId },
      ownerEntityType: owner.entityType,
      action: input.action,
      startDate: input.startDate ?? (input.action === 'add' ? now : null),
      endDate: input.endDate,
      existingState: existing?.workflowState ?? null,
      hasPendingRequest: pending !== undefined,
      requesterMayReview: mayReview(who, owner),
      now,
      autoDecision: deps.autoDecision ?? null,
    });
    if (!plan.ok) throw refusalError(plan);
    const record: RequestRecord = {
      id: deps.newId(),
      ownerId: owner.id,
      itemKind: input.itemKind,
      itemId: input.itemId,
      assignmentId,
      action: input.action,
      requestedBy: who.actor,
      requestedAt: now,
      comment: input.comment,
      startDate: plan.startDate,
      endDate: plan.endDate,
      steps: plan.steps,
      approvals: plan.approvals,
      status: plan.status,
      decidedAt: plan.status === 'pending' ? null : now,
      autoDecision: plan.autoDecision,
      autoDecideAt: plan.autoDecideAt,
      version: 0,
    };
    await tx.requests.insert(record);
    if (plan.implicit) {
      for (let step = 1; step <= plan.steps; step++) {
        await tx.requests.recordDecision({
          requestId: record.id,
          step,
          decision: 'approved',
          decidedBy: who.actor,
          decidedAt: now,
          comment: 'implicit approval: the requester may approve it',
        });
      }
    }
    let after: ReturnType<typeof assignmentSummary> | null = existing ? assignmentSummary(existing) : null;
    if (plan.workflowState !== null) {
      const period =
        input.action === 'add'
          ? { startDate: plan.startDate, endDate: plan.endDate }
          : { startDate: existing?.startDate ?? null, endDate: existing?.endDate ?? null };
      const row = requestedAssignment(existing, record, plan.workflowState, period);
      await tx.assignments.saveChanges({ upserts: [row], deletes: [] });
      after = assignmentSummary(row);
    }
    await tx.ledger.append(ledgerLines(plan.moves, { assignmentId, ownerId: owner.id }, cause, now));
    await tx.audit.record({
      at: now,
      actor: who.actor,
      action: plan.implicit
        ? 'request.implicitly_approved'
        : plan.status === 'approved'
          ? 'request.approved'
          : 'request.created',
      targetKind: 'request',
      targetId: record.id,
      before: { assignment: existing ? assignmentSummary(existing) : null },
      after: { request: requestSummary(record), assignment: after },
      detail: `${input.action} ${input.itemKind} ${input.itemId} for ${owner.key}`,
    });
    if (record.status === 'approved') await tx.resources.markDirty([owner.id]);
    if (record.status === 'pending') await notifyReviewers({ ...deps, stores: tx }, model, record, owner);
    return record;
  });
  if (result.status === 'approved') void deps.pipeline.request();
  return view(deps.stores, result, model);
}

export interface DecideOnRequestInput {
  readonly entityType: string;
  readonly requestId: string;
  readonly decision: RequestDecisionKind;
  /** The step the reviewer saw (1-based): a decision never lands on a step nobody looked at. */
  readonly step: number;
  readonly comment: string | null;
}

/**
 * Role Review: approves or declines the step a request waits for. Two reviewers deciding at the
 * same moment: the request row is compare-and-set on its version (and `request_decisions` holds
 * one row per step), so exactly one decision is applied and recorded; the other gets 409
 * REQUEST_ALREADY_DECIDED. The loser is never moved on to the next step, even if it was free:
 * they looked at step n, and step n+1 deserves its own look (the list shows it after a reload).
 */
export async function decideOnRequest(
  deps: RequestDeps,
  who: RequestActor,
  input: DecideOnRequestInput,
): Promise<RequestView> {
  const request = await deps.stores.requests.get(input.requestId);
  const owner = request ? await deps.stores.resources.get(request.ownerId) : undefined;
  if (!request || !owner || owner.entityType !== input.entityType) throw requestNotFound(input.requestId);
  if (!inIdentityScope(who.scope, owner)) {
    throw new UseCaseError('forbidden', 'OUT_OF_SCOPE', `${owner.entityType} ${owner.key} is outside your scope`);
  }
  const decider: Decider = (current, earlier, state) =>
    decideRequest({
      request: current,
      decision: input.decision,
      reviewer: who.actor,
      earlierReviewers: earlier,
      expectedStep: input.step,
      assignmentState: state,
      automatic: false,
    });
  const decided = await applyDecision(deps, request.id, who.actor, decider, input.comment, false);
  if (decided.status === 'approved') void deps.pipeline.request();
  return view(deps.stores, decided, (await deps.models.current()).model);
}

/**
 * Runs the auto decisions that are due (the housekeeping loop calls it): an auto-approval approves
 * every remaining step, an auto-decline declines the waiting one. A person deciding at the same
 * moment wins or loses by the same compare-and-set; a lost race is skipped, not an error.
 */
export async function runAutoDecisions(
  deps: RequestDeps,
  limit = 200,
): Promise<{ approved: number; declined: number }> {
  const counts = { approved: 0, declined: 0 };
  const due = await deps.stores.requests.listDueAutoDecisions(deps.clock.now(), limit);
  let approved = false;
  for (const request of due) {
    const decision = request.autoDecision ?? 'decline';
    try {
      const done = await applyDecision(
        deps,
        request.id,
        'system:auto-decision',
        (current, _earlier, state) => {
          let result = decideRequest({
            request: current,
            decision,
            reviewer: 'system:auto-decision',
            earlierReviewers: [],
            expectedStep: null,
            assignmentState: state,
            automatic: true,
          });
          const steps: DecideResult[] = [];
          while (result.ok) {
            steps.push(result);
            if (result.final) break;
            result = decideRequest({
              request: result.request,
              decision,
              reviewer: 'system:auto-decision',
              earlierReviewers: [],
              expectedStep: null,
              assignmentState: (result.workflowState ?? state) as WorkflowState | null,
              automatic: true,
            });
          }
          return result.ok ? steps : result;
        },
        'automatic decision: nobody decided in time',
        true,
      );
      if (done.status === 'approved') {
        counts.approved++;
        approved = true;
      } else if (done.status === 'declined') counts.declined++;
    } catch (error) {
      if (error instanceof UseCaseError && error.kind === 'conflict') continue;
      throw error;
    }
  }
  if (approved) void deps.pipeline.request();
  return counts;
}

/** Cancels a pending request; only its requester can. The pending assignment goes away. */
export async function cancelOwnRequest(deps: RequestDeps, who: RequestActor, requestId: string): Promise<RequestView> {
  const cause: Cause = { kind: 'user', id: who.actor };
  const done = await deps.stores.transaction(async (tx) => {
    const now = deps.clock.now();
    const request = await tx.requests.get(requestId);
    if (!request || !samePerson(request.requestedBy, who.actor)) throw requestNotFound(requestId);
    const assignment = await tx.assignments.get(request.assignmentId);
    const result = cancelRequest(request, who.actor, requestWorkflowState(request, assignment));
    if (!result.ok) throw refusalError(result);
    const won = await tx.requests.compareAndSet(request.id, request.version, {
      approvals: request.approvals,
      status: 'cancelled',
      decidedAt: now,
    });
    if (!won) throw alreadyDecided(request.id);
    if (result.workflowState === null && assignment) {
      await tx.assignments.saveChanges({ upserts: [], deletes: [assignment.id] });
    }
    await tx.ledger.append(
      ledgerLines(result.moves, { assignmentId: request.assignmentId, ownerId: request.ownerId }, cause, now),
    );
    const next: RequestRecord = { ...request, status: 'cancelled', decidedAt: now, version: request.version + 1 };
    await tx.audit.record({
      at: now,
      actor: who.actor,
      action: 'request.cancelled',
      targetKind: 'request',
      targetId: request.id,
      before: { request: requestSummary(request), assignment: assignment ? assignmentSummary(assignment) : null },
      after: {
        request: requestSummary(next),
        assignment: result.workflowState === null ? null : assignment ? assignmentSummary(assignment) : null,
      },
    });
    return next;
  });
  return view(deps.stores, done, (await deps.models.current()).model);
}

/** One request: for its requester, and for whoever may view its owner. */
export async function getRequest(
  deps: Pick<RequestDeps, 'stores' | 'models'>,
  who: RequestActor,
  requestId: string,
): Promise<RequestView> {
  const request = await deps.stores.requests.get(requestId);
  if (!request) throw requestNotFound(requestId);
  if (!samePerson(request.requestedBy, who.actor)) {
    const owner = await deps.stores.resources.get(request.ownerId);
    const visible =
      owner !== undefined &&
      grants(who.permissions, `/Custom/Resources/${owner.entityType}/View`) &&
      inIdentityScope(who.scope, owner);
    if (!visible) throw requestNotFound(requestId);
  }
  return view(deps.stores, request, (await deps.models.current()).model);
}

/** The requests about one identity, newest first (its Requests tab), for whoever may view it. */
export async function listRequestsOf(
  deps: Pick<RequestDeps, 'stores' | 'models'>,
  who: Pick<RequestActor, 'scope'>,
  target: { entityType: string; id: string; limit: number },
): Promise<RequestView[]> {
  const identity = await identityInScope(deps.stores, who, target.entityType, target.id);
  const { model } = await deps.models.current();
  const records = await deps.stores.requests.listByOwner(identity.id, target.limit);
  return Promise.all(records.map((r) => view(deps.stores, r, model)));
}

export interface PendingReviewPage {
  readonly items: (RequestView & { readonly mayDecide: boolean })[];
  /** Pass back as `cursor` for the next page; null at the end. */
  readonly nextCursor: string | null;
}

/** Role Review: the pending requests of the identities in the reviewer's scope, oldest first. */
export async function listPendingForReview(
  deps: Pick<RequestDeps, 'stores' | 'models'>,
  who: RequestActor,
  options: { entityType: string; cursor?: string; limit: number },
): Promise<PendingReviewPage> {
  const cursor = decodeTimeCursor(options.cursor);
  const after = cursor && { requestedAt: cursor.createdAt, id: cursor.id };
  const rows = await deps.stores.requests.listPending({
    entityType: options.entityType,
    scope: who.scope,
    limit: options.limit + 1,
    ...(after ? { after } : {}),
  });
  const page = rows.slice(0, options.limit);
  const { model } = await deps.models.current();
  const items = [];
  for (const r of page) {
    const v = await view(deps.stores, r, model);
    const earlier = v.decisions.map((d) => d.decidedBy);
    const mayDecide = !samePerson(r.requestedBy, who.actor) && !earlier.some((d) => samePerson(d, who.actor));
    items.push({ ...v, mayDecide });
  }
  const last = page.at(-1);
  return {
    items,
    nextCursor:
      rows.length > options.limit && last ? encodeTimeCursor({ createdAt: last.requestedAt, id: last.id }) : null,
  };
}

type Decider = (
  current: RequestSnapshot,
  earlierReviewers: readonly string[],
  assignmentState: WorkflowState | null,
) => DecideResult | readonly DecideResult[] | RequestRefusal;

/**
 * One decision (or a run of automatic ones) in one transaction: re-reads the request, decides,
 * compare-and-sets it, records one row per decided step, moves the assignment, writes the ledger
 * and the audit record. Nothing is written when the compare-and-set loses.
 */
async function applyDecision(
  deps: RequestDeps,
  requestId: string,
  actor: string,
  decide: Decider,
  comment: string | null,
  automatic: boolean,
): Promise<RequestRecord> {
  const cause: Cause = { kind: 'user', id: actor };
  // Read before the transaction: on SQLite a read outside it would wait for it forever.
  const { model } = await deps.models.current();
  return deps.stores.transaction(async (tx) => {
    const now = deps.clock.now();
    const request = await tx.requests.get(requestId);
    if (!request) throw requestNotFound(requestId);
    const decisions = await tx.requests.decisions(requestId);
    const assignment = await tx.assignments.get(request.assignmentId);
    const outcome = decide(
      request,
      decisions.map((d) => d.decidedBy),
      requestWorkflowState(request, assignment),
    );
    if ('ok' in outcome && !outcome.ok) throw refusalError(outcome);
    const steps = (Array.isArray(outcome) ? outcome : [outcome]) as readonly DecideResult[];
    const last = steps.at(-1) as DecideResult;
    const won = await tx.requests.compareAndSet(request.id, request.version, {
      approvals: last.request.approvals,
      status: last.request.status,
      decidedAt: last.final ? now : null,
    });
    if (!won) throw alreadyDecided(request.id);
    for (const s of steps) {
      const declined = s.request.status === 'declined';
      const decision: StoredDecision = automatic
        ? declined
          ? 'auto_declined'
          : 'auto_approved'
        : declined
          ? 'declined'
          : 'approved';
      try {
        await tx.requests.recordDecision({
          requestId,
          step: s.step,
          decision,
          decidedBy: actor,
          decidedAt: now,
          comment,
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw alreadyDecided(request.id);
        throw error;
      }
    }
    const finalState = [...steps].reverse().find((s) => s.workflowState !== undefined)?.workflowState;
    let after = assignment ? assignmentSummary(assignment) : null;
    const writeRow = request.action === 'add' || assignment !== undefined;
    if (finalState !== undefined && finalState !== null && writeRow) {
      const row = assignment
        ? { ...assignment, workflowState: finalState }
        : requestedAssignment(undefined, request, finalState, request);
      await tx.assignments.saveChanges({ upserts: [row], deletes: [] });
      after = assignmentSummary(row);
    }
    const moves = steps.flatMap((s) => s.moves);
    await tx.ledger.append(
      ledgerLines(moves, { assignmentId: request.assignmentId, ownerId: request.ownerId }, cause, now),
    );
    const next: RequestRecord = {
      ...request,
      approvals: last.request.approvals,
      status: last.request.status,
      decidedAt: last.final ? now : null,
      version: request.version + 1,
    };
    const owner = next.status === 'pending' ? await tx.resources.get(request.ownerId) : undefined;
    if (owner) await notifyReviewers({ ...deps, stores: tx }, model, next, owner);
    await tx.audit.record({
      at: now,
      actor,
      action:
        next.status === 'approved'
          ? 'request.approved'
          : next.status === 'declined'
            ? 'request.declined'
            : 'request.step_approved',
      targetKind: 'request',
      targetId: request.id,
      before: { request: requestSummary(request), assignment: assignment ? assignmentSummary(assignment) : null },
      after: { request: requestSummary(next), assignment: after },
      ...(comment ? { detail: comment } : {}),
    });
    if (next.status === 'approved') await tx.resources.markDirty([request.ownerId]);
    return next;
  });
}

/** Tells the reviewers who may decide the step now waiting (reference spec §9: exact path only). */
function notifyReviewers(
  deps: Pick<RequestDeps, 'clock' | 'newId'> & { stores: Pick<Stores, 'accounts' | 'notifications'> },
  model: Model,
  request: RequestRecord,
  owner: Resource,
): Promise<unknown> {
  return notifyRequestWaiting(deps, model, {
    id: request.id,
    owner,
    item: `${request.itemKind.replace('_', ' ')} ${request.itemId}`,
    action: request.action,
    step: request.approvals + 1,
    steps: request.steps,
    requestedBy: request.requestedBy,
  });
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint/i.test(e?.message ?? '');
}

const requestNotFound = (id: string) => new UseCaseError('not_found', 'REQUEST_NOT_FOUND', `there is no request ${id}`);

function requestSummary(r: RequestRecord) {
  return { status: r.status, approvals: r.approvals, steps: r.steps, version: r.version };
}

function assignmentSummary(a: { workflowState: number; startDate: string | null; endDate: string | null }) {
  return { workflowState: a.workflowState, startDate: a.startDate, endDate: a.endDate };
}

async function view(
  stores: Pick<Stores, 'requests' | 'resources'>,
  r: RequestRecord,
  model: Parameters<typeof findRequestableItem>[0],
): Promise<RequestView> {
  const owner = await stores.resources.get(r.ownerId);
  const decisions = await stores.requests.decisions(r.id);
  return {
    id: r.id,
    owner: { id: r.ownerId, key: owner?.key ?? r.ownerId, entityType: owner?.entityType ?? '' },
    item: {
      kind: r.itemKind,
      id: r.itemId,
      displayName: findRequestableItem(model, r.itemKind, r.itemId)?.displayName ?? r.itemId,
    },
    assignmentId: r.assignmentId,
    action: r.action,
    requestedBy: r.requestedBy,
    requestedAt: r.requestedAt,
    comment: r.comment,
    startDate: r.startDate,
    endDate: r.endDate,
    steps: r.steps,
    approvals: r.approvals,
    status: r.status,
    step: r.status === 'pending' ? stepLabel(r) : null,
    decidedAt: r.decidedAt,
    autoDecision: r.autoDecision,
    autoDecideAt: r.autoDecideAt,
    decisions: decisions.map(({ id: _id, requestId: _r, ...d }) => d),
  };
}
