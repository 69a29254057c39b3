import { type AssignedCompositeRole, type AssignedSingleRole, assignmentIds } from '../../assignments.ts';
import type { WorkflowEvent } from '../../lifecycle/workflow-lifecycle.ts';
import type { RuleType } from '../../model.ts';
import { WorkflowState as W, type WorkflowState, workflowStateNames } from '../../states.ts';
import { addMinutes, periodOver } from './context-period.ts';
import { type EvaluationContext, ruleApplies } from './evaluation-context.ts';
import { grantingStates, isExpired, keptStates, ruleMadeStates } from './role-states.ts';

type RoleRow = AssignedCompositeRole | AssignedSingleRole;

/** A role a rule forbids although a rule, a manual assignment or a deduction would give it. */
export interface Denial {
  readonly ruleId: string;
  readonly assignmentId: string;
  readonly message: string;
}

export interface RoleOutcome {
  readonly rows: RoleRow[];
  readonly removedIds: string[];
  /** Roles the owner holds in a granting state. */
  readonly held: Set<string>;
  /** Roles a person declined or cancelled: what was inferred from them is cancelled too. */
  readonly cancelled: Set<string>;
  readonly denials: Denial[];
}

interface Grant {
  readonly ruleId: string;
  readonly type: RuleType;
  readonly inferredFrom: string | null;
}

const typeRank: Record<RuleType, number> = { required: 0, automatic_with_validation: 1, suggested: 2 };
const ruleEvent: Record<RuleType, WorkflowEvent> = {
  required: 'rule_required',
  automatic_with_validation: 'rule_automatic_with_validation',
  suggested: 'rule_suggested',
};
const ruleState: Record<RuleType, WorkflowState> = {
  required: W.Calculated,
  automatic_with_validation: W.AutomaticButWithValidation,
  suggested: W.Suggested,
};

/** Composite role rules, then manual and kept composite roles (reference spec §5.1 step 3.1). */
export function evaluateCompositeRoles(ctx: EvaluationContext): RoleOutcome {
  const rules = rolesApply(ctx) ? ctx.model.rules.compositeRoles.filter((r) => ruleApplies(ctx, r)) : [];
  return settleRoles(ctx, 'composite_role', rules, new Set());
}

/**
 * Single role rules, whose criterion may be a composite role held (the single role is then
 * inferred from it), then manual and kept single roles (reference spec §5.1 step 3.2).
 */
export function evaluateSingleRoles(ctx: EvaluationContext, composites: RoleOutcome): RoleOutcome {
  const rules = rolesApply(ctx) ? ctx.rules.singleRoleRulesFor(composites.held).filter((r) => ruleApplies(ctx, r)) : [];
  return settleRoles(ctx, 'single_role', rules, composites.cancelled);
}

/** Once the owner's context is over (the person left), no rule gives roles any more. */
function rolesApply(ctx: EvaluationContext): boolean {
  return !periodOver(ctx.context, ctx.now);
}

function settleRoles(
  ctx: EvaluationContext,
  kind: RoleRow['kind'],
  matched: readonly { id: string; role: string; type: RuleType; denied: boolean; compositeRole?: string | null }[],
  cancelledParents: ReadonlySet<string>,
): RoleOutcome {
  const { recorder, identity, now } = ctx;
  const grants = new Map<string, Grant>();
  const deniedBy = new Map<string, string>();
  for (const rule of matched) {
    if (rule.denied) {
      if (!deniedBy.has(rule.role)) deniedBy.set(rule.role, rule.id);
      continue;
    }
    const current = grants.get(rule.role);
    if (!current || typeRank[rule.type] < typeRank[current.type]) {
      grants.set(rule.role, { ruleId: rule.id, type: rule.type, inferredFrom: rule.compositeRole ?? null });
    }
  }
  const catalog = kind === 'composite_role' ? ctx.model.compositeRoles : ctx.model.singleRoles;
  const existingByRole = new Map<string, RoleRow>();
  for (const a of ctx.existing.values()) {
    if (a.kind === kind) existingByRole.set(a.roleId, a);
  }

  const out: RoleOutcome = { rows: [], removedIds: [], held: new Set(), cancelled: new Set(), denials: [] };

  const roleIds = [...new Set([...grants.keys(), ...existingByRole.keys()])].sort();
  for (const roleId of roleIds) {
    const ex = existingByRole.get(roleId);
    const grant = grants.get(roleId);
    const denial = deniedBy.get(roleId);
    if (denial !== undefined) {
      const by = grant
        ? `rule ${grant.ruleId} gives it`
        : ex
          ? `it was held (workflow ${ex.workflowState} ${workflowStateNames[ex.workflowState]})`
          : '';
      const message = `role ${roleId} is denied to ${identity.key} by rule ${denial}${by ? `, although ${by}` : ''}`;
      out.denials.push({ ruleId: denial, assignmentId: roleAssignmentId(kind, identity.id, roleId), message });
      if (ex) {
        recorder.removed(ex, 'denied', message);
        remove(out, ex);
      }
      continue;
    }
    if (grant) {
      if (!ex) {
        const subject = { id: roleAssignmentId(kind, identity.id, roleId), ownerId: identity.id };
        const state = recorder.workflow(subject, null, ruleEvent[grant.type], { ruleId: grant.ruleId });
        if (state === null || state === undefined) continue;
        keep(out, newRow(ctx, kind, subject.id, roleId, state, grant));
        continue;
      }
      keep(out, regrant(ctx, ex, grant));
      continue;
    }
    if (!ex) continue;
    const state = ex.workflowState;
    if (state === W.Cancellation) {
      // A person removed it in reconciliation: its inferred items are cancelled, then it goes.
      out.cancelled.add(roleId);
      recorder.removed(ex, 'cancellation_applied');
      remove(out, ex);
    } else if (state === W.Declined) {
      out.cancelled.add(roleId);
      keep(out, ex);
    } else if ((keptStates.has(state) || state === W.Prolonged) && isExpired(ex.endDate, now)) {
      recorder.workflow(ex, state, 'expired', { ruleId: ex.ruleId, message: `ended on ${ex.endDate}` });
      remove(out, ex);
    } else if (keptStates.has(state) || state === W.Prolonged) {
      keep(out, ex);
    } else if (ruleMadeStates.has(state)) {
      const parent = ex.kind === 'single_role' ? ex.inferredFrom : null;
      const grace = catalog[roleId]?.gracePeriodMinutes ?? 0;
      if (isExpired(ex.endDate, now)) {
        recorder.workflow(ex, state, 'expired', { ruleId: ex.ruleId, message: `ended on ${ex.endDate}` });
        remove(out, ex);
      } else if (parent !== null && cancelledParents.has(parent)) {
        recorder.workflow(ex, state, 'role_cancelled', {
          ruleId: ex.ruleId,
          message: `inferred from ${parent}, which was declined or cancelled`,
        });
        out.cancelled.add(roleId);
        remove(out, ex);
      } else if (state === W.Calculated && grace > 0) {
        const endDate = addMinutes(now, grace);
        const to = recorder.workflow(ex, state, 'rule_lost_with_grace', {
          ruleId: ex.ruleId,
          message: `no rule gives ${roleId} any more; kept until ${endDate} (grace period)`,
        });
        keep(out, { ...ex, workflowState: to ?? state, endDate });
      } else {
        recorder.removed(ex, 'rule_lost', `no rule gives ${roleId} to ${identity.key} any more`);
        remove(out, ex);
      }
    } else {
      // Requests in progress belong to the request workflow: kept as they are.
      keep(out, ex);
    }
  }
  return out;
}

function roleAssignmentId(kind: RoleRow['kind'], ownerId: string, roleId: string): string {
  return kind === 'composite_role'
    ? assignmentIds.compositeRole(ownerId, roleId)
    : assignmentIds.singleRole(ownerId, roleId);
}

function keep(out: RoleOutcome, row: RoleRow): void {
  out.rows.push(row);
  if (grantingStates.has(row.workflowState)) out.held.add(row.roleId);
}

function remove(out: RoleOutcome, row: RoleRow): void {
  out.removedIds.push(row.id);
}

function newRow(
  ctx: EvaluationContext,
  kind: RoleRow['kind'],
  id: string,
  roleId: string,
  workflowState: WorkflowState,
  grant: Grant,
): RoleRow {
  const common = {
    id,
    ownerId: ctx.identity.id,
    roleId,
    workflowState,
    startDate: ctx.context.start,
    endDate: ctx.context.end,
    ruleId: grant.ruleId,
  };
  return kind === 'composite_role' ? { kind, ...common } : { kind, ...common, inferredFrom: grant.inferredFrom };
}

/** An existing role that a rule gives (again). */
function regrant(ctx: EvaluationContext, ex: RoleRow, grant: Grant): RoleRow {
  const { recorder } = ctx;
  const from = ex.workflowState;
  const wanted = ruleState[grant.type];
  let to: WorkflowState | null | undefined = from;
  if (from === W.Prolonged) {
    to = recorder.workflow(ex, from, 'rule_regained', { ruleId: grant.ruleId });
  } else if (ruleMadeStates.has(from)) {
    if (from !== wanted) to = recorder.workflow(ex, from, ruleEvent[grant.type], { ruleId: grant.ruleId });
  } else if ((from === W.NonConforming || from === W.PreExisting) && grant.type === 'required') {
    to = recorder.workflow(ex, from, 'rule_required', { ruleId: grant.ruleId });
  } else {
    // Manual assignments, requests in progress and refusals stay what a person made them.
    return ex;
  }
  const workflowState = to ?? from;
  const updated: RoleRow = {
    ...ex,
    workflowState,
    ruleId: grant.ruleId,
    startDate: ctx.context.start,
    endDate: ctx.context.end,
    ...(ex.kind === 'single_role' ? { inferredFrom: grant.inferredFrom } : {}),
  };
  return sameRole(updated, ex) ? ex : updated;
}

function sameRole(a: RoleRow, b: RoleRow): boolean {
  return (
    a.workflowState === b.workflowState &&
    a.ruleId === b.ruleId &&
    a.startDate === b.startDate &&
    a.endDate === b.endDate &&
    (a.kind !== 'single_role' || b.kind !== 'single_role' || a.inferredFrom === b.inferredFrom)
  );
}
