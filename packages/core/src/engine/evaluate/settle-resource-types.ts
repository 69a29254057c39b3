import { type AssignedResourceType, assignmentIds } from '../../assignments.ts';
import type { ResourceType } from '../../model.ts';
import type { Resource } from '../../resources.ts';
import { ProvisioningState as P, WorkflowState as W, type WorkflowState } from '../../states.ts';
import type { Period } from './context-period.ts';
import { type CorrelationMatch, correlationMatches, correlationPlan } from './correlate.ts';
import type { Denial } from './evaluate-roles.ts';
import { type EvaluationContext, needsReview } from './evaluation-context.ts';
import type { ResourceTypeExpectation } from './expected-resource-types.ts';
import { isExpired, requestInProgressStates } from './role-states.ts';
import { type Desired, settleProvisioning } from './settle-provisioning.ts';

/**
 * What happens to the scalars and navigations of an assigned resource type: computed from the
 * rules, kept as they are, their pending writes made inactive, or dropped with the row.
 */
export type NestedMode = 'compute' | 'freeze' | 'supersede' | 'drop';

export interface SettledResourceType {
  readonly row: AssignedResourceType;
  /** Null for a row whose resource type left the configuration. */
  readonly resourceType: ResourceType | null;
  readonly nested: NestedMode;
  /** The synchronized target to compare with, null while it does not exist. */
  readonly target: Resource | null;
}

export interface ResourceTypeOutcome {
  readonly settled: SettledResourceType[];
  /** Rows removed, with their nested rows to drop. */
  readonly removed: AssignedResourceType[];
  readonly denials: Denial[];
}

const manualStates: ReadonlySet<WorkflowState> = new Set([W.Approved, W.ApprovedQuestioned, W.ApprovedRisk]);
const foundStates: ReadonlySet<WorkflowState> = new Set([W.NonConforming, W.PreExisting]);
const waiting: ReadonlySet<number> = new Set([P.Pending, P.AwaitingApproval]);
const inFlight: ReadonlySet<number> = new Set([P.Transmitted, P.Executed, P.Errored]);

const isProposal = (r: AssignedResourceType) =>
  r.provisioningState === P.AwaitingApproval &&
  r.pendingOperation === null &&
  r.targetResourceId !== null &&
  r.confidence !== null &&
  r.confidence < 100;
const isDeclined = (r: AssignedResourceType) => r.declined && r.provisioningState === P.None;

/**
 * Assigned resource types of one owner (reference spec §5.1 steps 3.3, 3.6, 4–7, §5.4, §3.5 G):
 * each expected or manual type gets its target (kept, correlated, proposed for association, or to
 * be created), and each type no longer justified is deleted (allowRemove), or left for a person
 * as non-conforming.
 */
export function settleResourceTypes(ctx: EvaluationContext, expectation: ResourceTypeExpectation): ResourceTypeOutcome {
  const out: ResourceTypeOutcome = { settled: [], removed: [], denials: [] };
  const rowsByType = new Map<string, AssignedResourceType[]>();
  for (const a of ctx.existing.values()) {
    if (a.kind !== 'resource_type') continue;
    const rows = rowsByType.get(a.resourceTypeId);
    if (rows) rows.push(a);
    else rowsByType.set(a.resourceTypeId, [a]);
  }
  const typeIds = [...new Set([...expectation.expected.keys(), ...rowsByType.keys()])].sort();
  for (const typeId of typeIds) {
    const rows = rowsByType.get(typeId) ?? [];
    const resourceType = ctx.model.resourceTypes[typeId];
    if (!resourceType) {
      // A type removed from the configuration: its rows are kept for a person, untouched.
      for (const row of rows) out.settled.push({ row, resourceType: null, nested: 'freeze', target: null });
      continue;
    }
    settleType(ctx, resourceType, rows, expectation, out);
  }
  return out;
}

function settleType(
  ctx: EvaluationContext,
  rt: ResourceType,
  rows: readonly AssignedResourceType[],
  expectation: ResourceTypeExpectation,
  out: ResourceTypeOutcome,
): void {
  const { recorder, identity } = ctx;
  const deniedBy = expectation.denied.get(rt.id);
  const expected = expectation.expected.get(rt.id);

  if (deniedBy !== undefined) {
    for (const r of rows) {
      if (!isManual(ctx, r) && !expected) continue;
      out.denials.push({
        ruleId: deniedBy,
        assignmentId: r.id,
        message: `resource type ${rt.id} is denied to ${identity.key} by rule ${deniedBy}, although it is assigned`,
      });
    }
  }
  const manualRow = deniedBy === undefined ? rows.find((r) => isManual(ctx, r)) : undefined;
  const justification: Justification | null =
    deniedBy !== undefined
      ? null
      : expected
        ? { by: expected.by, ruleId: expected.ruleId, period: expected.period }
        : manualRow
          ? { by: 'manual', ruleId: manualRow.ruleId, period: { start: manualRow.startDate, end: manualRow.endDate } }
          : null;

  const handled = new Set<string>();
  if (justification) {
    const mainId = assignmentIds.resourceType(identity.id, rt.id);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const linked = rows.filter(
      (r) => !isProposal(r) && !isDeclined(r) && r.targetResourceId !== null && r.workflowState !== W.Cancellation,
    );
    const live = linked.filter((r) => targetOf(ctx, r) !== undefined);
    const declined = rows.filter(isDeclined);
    const used = new Set<string>([...live, ...declined].map((r) => r.id));
    const exclude = new Set<string>(
      [...linked, ...declined].flatMap((r) => (r.targetResourceId === null ? [] : [r.targetResourceId])),
    );
    const { matches, failures } = correlationMatches(ctx, rt, exclude);
    for (const f of failures) recorder.error('EXPRESSION_FAILED', f.ruleId, f.message);
    const plan = correlationPlan(rt, matches, live.length > 0);
    const emitting: Emitting = { ctx, rt, byId, justification, handled, out };
    for (const r of live) emit(emitting, r.id, targetOf(ctx, r) ?? null, r.confidence, { kind: 'equal' }, 'compute');
    for (const m of plan.correlate) {
      emit(
        emitting,
        allocate(ctx, rt, used, mainId, m.target.id),
        m.target,
        m.confidence,
        { kind: 'equal' },
        'compute',
      );
    }
    for (const m of plan.suggest) {
      emit(
        emitting,
        allocate(ctx, rt, used, mainId, m.target.id),
        m.target,
        m.confidence,
        { kind: 'hold', message: proposalMessage(m) },
        'freeze',
      );
    }
    for (const r of declined) {
      handled.add(r.id);
      out.settled.push({ row: r, resourceType: rt, nested: 'freeze', target: null });
    }
    const nothingFound = live.length === 0 && plan.correlate.length === 0 && plan.suggest.length === 0;
    if (nothingFound && declined.length === 0) {
      const desired: Desired = rt.allowAdd
        ? { kind: 'write', op: 'add', review: needsReview(ctx, rt) }
        : {
            kind: 'write',
            op: 'add',
            review: needsReview(ctx, rt),
            message: `waiting for a person to create the ${rt.targetEntityType} of ${identity.key}: ${rt.id} does not allow Ordo to create it (allowAdd=false)`,
          };
      emit(emitting, allocate(ctx, rt, used, mainId, null), null, null, desired, 'compute');
    }
  }

  for (const r of rows) {
    if (handled.has(r.id)) continue;
    settleUnjustified(ctx, rt, r, targetOf(ctx, r), deniedBy === undefined && foundStates.has(r.workflowState), out);
  }
}

function targetOf(ctx: EvaluationContext, r: AssignedResourceType): Resource | undefined {
  return r.targetResourceId === null ? undefined : ctx.directory.get(r.targetResourceId);
}

function isManual(ctx: EvaluationContext, r: AssignedResourceType): boolean {
  return manualStates.has(r.workflowState) && !isExpired(r.endDate, ctx.now);
}

/** The row id for a new target: the plain id first, then one per target (correlate multiple resources). */
function allocate(
  ctx: EvaluationContext,
  rt: ResourceType,
  used: Set<string>,
  mainId: string,
  targetId: string | null,
): string {
  const id = !used.has(mainId) ? mainId : assignmentIds.resourceType(ctx.identity.id, rt.id, targetId ?? 'new');
  used.add(id);
  return id;
}

/** What `emit` needs from the type being settled. */
interface Emitting {
  readonly ctx: EvaluationContext;
  readonly rt: ResourceType;
  readonly byId: ReadonlyMap<string, AssignedResourceType>;
  readonly justification: Justification;
  readonly handled: Set<string>;
  readonly out: ResourceTypeOutcome;
}

function emit(
  e: Emitting,
  id: string,
  target: Resource | null,
  confidence: number | null,
  desired: Desired,
  nested: NestedMode,
): void {
  e.handled.add(id);
  const row = settleRow(e.ctx, e.rt, id, e.byId.get(id), e.justification, target, confidence, desired);
  if (row) e.out.settled.push({ row, resourceType: e.rt, nested, target: target && !isProposal(row) ? target : null });
}

interface Justification {
  readonly by: 'rule' | 'role' | 'manual';
  readonly ruleId: string | null;
  readonly period: Period;
}

function proposalMessage(m: CorrelationMatch): string {
  return `association proposal: ${m.target.key} matches with confidence ${m.confidence} (rule ${m.ruleId}); a person confirms or declines it`;
}

function settleRow(
  ctx: EvaluationContext,
  rt: ResourceType,
  id: string,
  existing: AssignedResourceType | undefined,
  justification: Justification,
  target: Resource | null,
  confidence: number | null,
  desired: Desired,
): AssignedResourceType | null {
  const { recorder, identity } = ctx;
  const subject = { id, ownerId: identity.id };
  const ruleId = justification.ruleId;
  let workflowState: WorkflowState;
  if (justification.by === 'manual' || (existing && manualStates.has(existing.workflowState))) {
    workflowState = existing?.workflowState ?? W.Approved;
  } else {
    const wanted = justification.by === 'rule' ? W.Calculated : W.GivenByRole;
    const from = existing?.workflowState ?? null;
    if (from === wanted) workflowState = wanted;
    else {
      const to = recorder.workflow(subject, from, wanted === W.Calculated ? 'rule_required' : 'given_by_role', {
        ruleId,
      });
      if (to === undefined || to === null) {
        if (!existing) return null;
        workflowState = existing.workflowState;
      } else workflowState = to;
    }
  }
  const targetResourceId = target?.id ?? null;
  const same =
    existing !== undefined && existing.targetResourceId === targetResourceId && existing.confidence === confidence;
  const prov = settleProvisioning(recorder, subject, existing, desired, same, {
    ruleId,
    result: target ? { target: target.key, confidence } : null,
  });
  const manual = justification.by === 'manual' && existing;
  const row: AssignedResourceType = {
    kind: 'resource_type',
    id,
    ownerId: identity.id,
    resourceTypeId: rt.id,
    workflowState,
    startDate: manual ? existing.startDate : justification.period.start,
    endDate: manual ? existing.endDate : justification.period.end,
    ruleId: manual ? existing.ruleId : ruleId,
    provisioningState: prov.provisioningState,
    pendingOperation: prov.pendingOperation,
    message: prov.message,
    declined: prov.declined,
    // An order in flight or an error keeps the target it was computed for.
    targetResourceId: prov === existing ? existing.targetResourceId : targetResourceId,
    confidence: prov === existing ? existing.confidence : confidence,
  };
  return existing && sameRow(existing, row) ? existing : row;
}

function settleUnjustified(
  ctx: EvaluationContext,
  rt: ResourceType,
  r: AssignedResourceType,
  target: Resource | undefined,
  found: boolean,
  out: ResourceTypeOutcome,
): void {
  const { recorder, identity } = ctx;
  const keep = (row: AssignedResourceType, nested: NestedMode) =>
    out.settled.push({ row, resourceType: rt, nested, target: target ?? null });
  const drop = (event: Parameters<typeof recorder.removed>[1], message: string) => {
    recorder.removed(r, event, message);
    out.removed.push(r);
  };
  if (isProposal(r) || isDeclined(r)) {
    drop('proposal_withdrawn', `${rt.id} is no longer assigned to ${identity.key}: the proposal is withdrawn`);
    return;
  }
  // A request in progress belongs to the request workflow, as for roles: kept as it is, no order.
  if (requestInProgressStates.has(r.workflowState) || (found && target)) {
    keep(r, 'freeze');
    return;
  }
  if (target) {
    if (r.workflowState === W.Cancellation || rt.allowRemove) {
      const prov = settleProvisioning(
        recorder,
        r,
        r,
        { kind: 'write', op: 'remove', review: needsReview(ctx, rt) },
        r.pendingOperation === 'remove',
        { ruleId: r.ruleId },
      );
      keep(prov === r ? r : { ...r, ...prov }, 'freeze');
      return;
    }
    // allowRemove=false: the account stays, shown as unauthorized; a person decides (scenario 27).
    let workflowState: WorkflowState = r.workflowState;
    if (r.workflowState === W.Calculated || r.workflowState === W.GivenByRole) {
      workflowState =
        recorder.workflow(r, r.workflowState, 'justification_lost', {
          ruleId: r.ruleId,
          message: `${rt.id} is no longer justified for ${identity.key} and allowRemove=false: a person decides in reconciliation`,
        }) ?? r.workflowState;
    }
    keep(workflowState === r.workflowState ? r : { ...r, workflowState }, 'supersede');
    return;
  }
  if (r.pendingOperation === 'remove') {
    drop('removal_verified', `the ${rt.targetEntityType} of ${identity.key} is gone from the managed system`);
  } else if (r.targetResourceId !== null) {
    drop('target_gone', `the ${rt.targetEntityType} ${r.targetResourceId} is gone and ${rt.id} is no longer assigned`);
  } else if (waiting.has(r.provisioningState) || r.provisioningState === P.Inactive) {
    const prov = settleProvisioning(
      recorder,
      r,
      r,
      { kind: 'inactive', message: `${rt.id} is no longer assigned to ${identity.key} before its creation was sent` },
      true,
      { ruleId: r.ruleId },
    );
    keep(prov === r ? r : { ...r, ...prov }, 'supersede');
  } else if (inFlight.has(r.provisioningState)) {
    keep(r, 'freeze');
  } else {
    drop('rule_lost', `${rt.id} is no longer assigned to ${identity.key}`);
  }
}

function sameRow(a: AssignedResourceType, b: AssignedResourceType): boolean {
  return (Object.keys(a) as (keyof AssignedResourceType)[]).every((k) => a[k] === b[k]);
}
