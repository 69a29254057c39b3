import { type AssignedNavigation, type AssignedScalar, assignmentIds } from '../../assignments.ts';
import type { ScalarValue } from '../../expression.ts';
import type { NavigationProperty, NavigationRule, Property, QueryRule, ResourceType, ScalarRule } from '../../model.ts';
import { ProvisioningState as P, WorkflowState as W, type WorkflowState } from '../../states.ts';
import { offsetPeriod, offsetPriority, type Period, periodContains } from './context-period.ts';
import { describeError, type EvaluationContext, identityKeys, needsReview, ruleApplies } from './evaluation-context.ts';
import { isExpired } from './role-states.ts';
import { sameValue } from './same-value.ts';
import { type Desired, type ProvisioningFields, settleProvisioning } from './settle-provisioning.ts';
import type { SettledResourceType } from './settle-resource-types.ts';
import type { TargetDirectory } from './target-directory.ts';
import { toScalarValue } from './to-scalar-value.ts';

type Nested = AssignedScalar | AssignedNavigation;

export interface NestedOutcome {
  readonly rows: Nested[];
  readonly removedIds: string[];
}

/** The roles the navigation and scalar rules read. */
export interface HeldRoles {
  readonly held: ReadonlySet<string>;
  /** Declined or cancelled roles: what they gave is cancelled (workflow 20) and removed. */
  readonly cancelled: ReadonlySet<string>;
}

const manualStates: ReadonlySet<WorkflowState> = new Set([W.Approved, W.ApprovedQuestioned, W.ApprovedRisk]);
const waiting: ReadonlySet<number> = new Set([P.Pending, P.AwaitingApproval]);
const settledElsewhere: ReadonlySet<number> = new Set([P.Transmitted, P.Executed, P.Errored, P.Inactive]);

/**
 * Scalars and navigations of one assigned resource type (reference spec §5.1 steps 3.4–3.5, 7,
 * §5.5): computed from the navigation, query and scalar rules and compared with the target.
 */
export function settleNested(
  ctx: EvaluationContext,
  settled: SettledResourceType,
  roles: HeldRoles,
  existing: readonly Nested[],
): NestedOutcome {
  const out: NestedOutcome = { rows: [], removedIds: [] };
  const { resourceType: rt } = settled;
  if (settled.nested === 'freeze' || rt === null) {
    out.rows.push(...existing);
    return out;
  }
  if (settled.nested === 'drop') {
    for (const r of existing) {
      ctx.recorder.removed(r, 'rule_lost', `${settled.row.id} is removed`);
      out.removedIds.push(r.id);
    }
    return out;
  }
  if (settled.nested === 'supersede') {
    for (const r of existing) out.rows.push(waiting.has(r.provisioningState) ? supersede(ctx, r) : r);
    return out;
  }
  const byId = new Map(existing.map((r) => [r.id, r]));
  const navigations = settleNavigations(ctx, settled, rt, roles, byId, out);
  const scalars = settleScalars(ctx, settled, rt, roles, byId, out);
  for (const r of existing) {
    if (navigations.has(r.id) || scalars.has(r.id)) continue;
    const kept = r.kind === 'navigation' ? lostNavigation(ctx, settled, rt, roles, r) : lostScalar(ctx, r);
    if (kept) out.rows.push(kept);
    else out.removedIds.push(r.id);
  }
  return out;
}

type Properties = Readonly<Record<string, Property>>;
const noProperties: Properties = {};

function navigationProperty(properties: Properties, name: string): NavigationProperty | null {
  const p = properties[name];
  return p?.kind === 'navigation' ? p : null;
}

/** `unique()`'s view of the target system for one property, excluding this owner's own values. */
function takenIn(
  directory: TargetDirectory,
  entityType: string,
  property: string,
  ownerId: string,
): (value: string) => boolean {
  return (candidate) => directory.isTaken(entityType, property, candidate, ownerId);
}

function supersede<T extends Nested>(ctx: EvaluationContext, r: T): T {
  const prov = settleProvisioning(
    ctx.recorder,
    r,
    r,
    { kind: 'inactive', message: `no longer wanted before it was sent` },
    true,
    { ruleId: r.ruleId },
  );
  return prov === r ? r : { ...r, ...prov };
}

function rulePeriod(
  ctx: EvaluationContext,
  rule: { timeOffset: NavigationRule['timeOffset'] },
  row: Period,
): Period | null {
  if (rule.timeOffset === null) return row;
  const period = offsetPeriod(rule.timeOffset, ctx.context);
  return period && periodContains(period, ctx.now) ? period : null;
}

interface NavigationWish {
  readonly id: string;
  readonly property: string;
  readonly valueResourceId: string;
  readonly valueKey: string;
  readonly ruleId: string;
  readonly byRole: boolean;
  readonly confidence: number | null;
  readonly period: Period;
  readonly error: string | null;
}

function settleNavigations(
  ctx: EvaluationContext,
  settled: SettledResourceType,
  rt: ResourceType,
  roles: HeldRoles,
  byId: ReadonlyMap<string, Nested>,
  out: NestedOutcome,
): Set<string> {
  const { model, directory, recorder, identity } = ctx;
  const { row, target } = settled;
  const rowPeriod = { start: row.startDate, end: row.endDate };
  const properties = model.entityTypes[rt.targetEntityType]?.properties ?? noProperties;
  const wishes = new Map<string, NavigationWish>();
  const denied = new Set<string>();
  const managed = new Set<string>();
  const typeRules = ctx.rules.byResourceType(rt.id);
  for (const rule of typeRules.navigations) {
    managed.add(rule.property);
    if (rule.singleRole !== null && !roles.held.has(rule.singleRole)) continue;
    const period = rulePeriod(ctx, rule, rowPeriod);
    if (!period || !ruleApplies(ctx, rule)) continue;
    const property = navigationProperty(properties, rule.property);
    if (!property) {
      recorder.error(
        'PROPERTY_NOT_NAVIGATION',
        rule.id,
        `navigation rule ${rule.id} sets "${rule.property}", which is not a navigation property of ${rt.targetEntityType}`,
      );
      continue;
    }
    if (rule.denied) {
      denied.add(`${rule.property}\u0000${rule.value}`);
      continue;
    }
    const linked = directory.byKey(property.target, rule.value);
    const valueResourceId = linked?.id ?? `missing:${property.target}:${rule.value}`;
    const id = assignmentIds.navigation(row.id, rule.property, valueResourceId);
    if (wishes.has(id)) continue;
    const error = linked
      ? null
      : `${property.target} "${rule.value}" given by navigation rule ${rule.id} to ${identity.key} (${rt.id}.${rule.property}) does not exist in the synchronized data`;
    if (error) recorder.error('LINKED_RESOURCE_MISSING', rule.id, error);
    wishes.set(id, {
      id,
      property: rule.property,
      valueResourceId,
      valueKey: rule.value,
      ruleId: rule.id,
      byRole: rule.singleRole !== null,
      confidence: null,
      period,
      error,
    });
  }
  for (const [id, wish] of wishes) if (denied.has(`${wish.property}\u0000${wish.valueKey}`)) wishes.delete(id);
  keepOnePerMonoValuedProperty(wishes, properties);
  if (typeRules.queries.length > 0) {
    queryWishes(ctx, typeRules.queries, row.id, rowPeriod, wishes, managed, properties);
  }

  const review = needsReview(ctx, rt);
  for (const wish of wishes.values()) {
    const ex = byId.get(wish.id) as AssignedNavigation | undefined;
    const present = target !== null && (target.links[wish.property] ?? []).includes(wish.valueResourceId);
    const desired: Desired = wish.error
      ? { kind: 'error', message: wish.error }
      : present
        ? { kind: 'equal' }
        : { kind: 'write', op: 'add', review: review || (wish.confidence !== null && wish.confidence < 100) };
    const subject = { id: wish.id, ownerId: identity.id };
    let workflowState: WorkflowState | undefined;
    if (ex && manualStates.has(ex.workflowState)) workflowState = ex.workflowState;
    else if (ex && target !== null && !present && ex.provisioningState === P.Verified && ex.ruleId === wish.ruleId) {
      // The membership was removed in the managed system outside Ordo: a person decides (scenario 24).
      if (ex.workflowState === W.NonConforming) {
        out.rows.push(ex);
        continue;
      }
      const to = recorder.workflow(ex, ex.workflowState, 'target_changed', {
        ruleId: wish.ruleId,
        message: `${wish.valueKey} was removed from ${rt.id}.${wish.property} in the managed system`,
      });
      out.rows.push(to === undefined || to === null ? ex : { ...ex, workflowState: to });
      continue;
    } else workflowState = toCalculated(ctx, subject, ex?.workflowState ?? null, wish.ruleId);
    if (workflowState === undefined) {
      if (ex) out.rows.push(ex);
      continue;
    }
    const prov = settleProvisioning(recorder, subject, ex, desired, true, {
      ruleId: wish.ruleId,
      result: wish.valueKey,
    });
    if (ex !== undefined && prov === ex) {
      // The stored row won field by field over the computed one: it is the result as it is.
      out.rows.push(ex);
      continue;
    }
    const next: AssignedNavigation = {
      kind: 'navigation',
      id: wish.id,
      ownerId: identity.id,
      assignedResourceTypeId: row.id,
      resourceTypeId: rt.id,
      property: wish.property,
      valueResourceId: wish.valueResourceId,
      confidence: wish.confidence,
      workflowState,
      startDate: ex && manualStates.has(ex.workflowState) ? ex.startDate : wish.period.start,
      endDate: ex && manualStates.has(ex.workflowState) ? ex.endDate : wish.period.end,
      ruleId: ex && manualStates.has(ex.workflowState) ? ex.ruleId : wish.ruleId,
      provisioningState: prov.provisioningState,
      pendingOperation: prov.pendingOperation,
      message: prov.message,
      declined: prov.declined,
    };
    out.rows.push(ex && sameRow(ex, next) ? ex : next);
  }

  // Memberships in the target that nothing explains: found (workflow 1, or 3 on first sync).
  const ids = new Set(wishes.keys());
  if (target !== null) {
    for (const property of managed) {
      for (const linkedId of target.links[property] ?? []) {
        const id = assignmentIds.navigation(row.id, property, linkedId);
        if (ids.has(id) || byId.has(id)) continue;
        ids.add(id);
        const subject = { id, ownerId: identity.id };
        const workflowState = recorder.workflow(
          subject,
          null,
          ctx.firstSynchronization ? 'found_first_synchronization' : 'found',
          { ruleId: null, message: `${directory.get(linkedId)?.key ?? linkedId} found in ${rt.id}.${property}` },
        );
        if (workflowState === undefined || workflowState === null) continue;
        const prov = settleProvisioning(recorder, subject, undefined, { kind: 'equal' }, true, { ruleId: null });
        out.rows.push({
          kind: 'navigation',
          id,
          ownerId: identity.id,
          assignedResourceTypeId: row.id,
          resourceTypeId: rt.id,
          property,
          valueResourceId: linkedId,
          confidence: null,
          workflowState,
          startDate: null,
          endDate: null,
          ruleId: null,
          provisioningState: prov.provisioningState,
          pendingOperation: prov.pendingOperation,
          message: prov.message,
          declined: prov.declined,
        });
      }
    }
  }
  return ids;
}

/** A mono-valued property holds one value: a role-criterion rule beats one without, then rule order. */
function keepOnePerMonoValuedProperty(wishes: Map<string, NavigationWish>, properties: Properties): void {
  const chosen = new Map<string, NavigationWish>();
  for (const wish of wishes.values()) {
    if (navigationProperty(properties, wish.property)?.multiValued !== false) continue;
    const current = chosen.get(wish.property);
    if (!current || (wish.byRole && !current.byRole)) chosen.set(wish.property, wish);
  }
  for (const [id, wish] of wishes) {
    const kept = chosen.get(wish.property);
    if (kept && kept.id !== id) wishes.delete(id);
  }
}

/**
 * Query rules (reference spec §5.3): per property, rules in descending confidence, the first one
 * that finds candidates wins. Below 100 the value waits for a person.
 */
function queryWishes(
  ctx: EvaluationContext,
  rules: readonly QueryRule[],
  rowId: string,
  period: Period,
  wishes: Map<string, NavigationWish>,
  managed: Set<string>,
  properties: Properties,
): void {
  const decided = new Set<string>();
  for (const rule of rules) {
    managed.add(rule.property);
    if (decided.has(rule.property) || !ruleApplies(ctx, rule)) continue;
    const property = navigationProperty(properties, rule.property);
    if (!property) continue;
    let keys: string[];
    try {
      keys = identityKeys(ctx, rule.source);
    } catch (error) {
      ctx.recorder.error(
        'EXPRESSION_FAILED',
        rule.id,
        `query rule ${rule.id} failed for ${ctx.identity.key}: ${describeError(error)}`,
      );
      continue;
    }
    const candidates = new Map<string, { id: string; key: string }>();
    for (const key of keys) {
      for (const c of ctx.directory.queryCandidates(rule.id, key)) candidates.set(c.id, c);
    }
    if (candidates.size === 0) continue;
    decided.add(rule.property);
    const sorted = [...candidates.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const c of property.multiValued ? sorted : sorted.slice(0, 1)) {
      const id = assignmentIds.navigation(rowId, rule.property, c.id);
      wishes.set(id, {
        id,
        property: rule.property,
        valueResourceId: c.id,
        valueKey: c.key,
        ruleId: rule.id,
        byRole: false,
        confidence: rule.confidence,
        period,
        error: null,
      });
    }
  }
}

function toCalculated(
  ctx: EvaluationContext,
  subject: { id: string; ownerId: string },
  from: WorkflowState | null,
  ruleId: string | null,
): WorkflowState | undefined {
  if (from === W.Calculated) return from;
  const to = ctx.recorder.workflow(subject, from, 'rule_required', { ruleId });
  return to === null ? undefined : to;
}

/** A navigation no rule gives any more (scenario 20), or cancelled with its role (scenario 8). */
function lostNavigation(
  ctx: EvaluationContext,
  settled: SettledResourceType,
  rt: ResourceType,
  roles: HeldRoles,
  r: AssignedNavigation,
): AssignedNavigation | null {
  const { recorder } = ctx;
  const present = settled.target !== null && (settled.target.links[r.property] ?? []).includes(r.valueResourceId);
  if (manualStates.has(r.workflowState) && !isExpired(r.endDate, ctx.now)) {
    const prov = settleProvisioning(
      recorder,
      r,
      r,
      present ? { kind: 'equal' } : { kind: 'write', op: 'add', review: needsReview(ctx, rt) },
      true,
      { ruleId: r.ruleId },
    );
    return prov === r ? r : { ...r, ...prov };
  }
  if (r.ruleId === null && (r.workflowState === W.NonConforming || r.workflowState === W.PreExisting)) {
    if (present) return r;
    recorder.removed(r, 'target_gone', `${r.valueResourceId} is no longer in ${rt.id}.${r.property}`);
    return null;
  }
  let workflowState = r.workflowState;
  const role = (r.ruleId === null ? undefined : ctx.rules.navigationById(r.ruleId))?.singleRole ?? null;
  if (
    role !== null &&
    roles.cancelled.has(role) &&
    (workflowState === W.Calculated || workflowState === W.GivenByRole)
  ) {
    workflowState =
      recorder.workflow(r, workflowState, 'role_cancelled', {
        ruleId: r.ruleId,
        message: `role ${role} was declined or cancelled`,
      }) ?? workflowState;
  }
  const withWorkflow = workflowState === r.workflowState ? r : { ...r, workflowState };
  if (present) {
    const prov = settleProvisioning(
      recorder,
      r,
      r,
      { kind: 'write', op: 'remove', review: needsReview(ctx, rt) },
      r.pendingOperation === 'remove',
      { ruleId: r.ruleId },
    );
    return prov === r ? withWorkflow : { ...withWorkflow, ...prov };
  }
  if (r.pendingOperation === 'remove') {
    recorder.removed(r, 'removal_verified', `${r.valueResourceId} is no longer in ${rt.id}.${r.property}`);
    return null;
  }
  if (waiting.has(r.provisioningState)) return supersede(ctx, withWorkflow);
  if (settledElsewhere.has(r.provisioningState)) return withWorkflow;
  recorder.removed(r, 'rule_lost', `no rule gives ${r.valueResourceId} in ${rt.id}.${r.property} any more`);
  return null;
}

function lostScalar(ctx: EvaluationContext, r: AssignedScalar | AssignedNavigation): AssignedScalar | null {
  if (r.kind !== 'scalar') return null;
  if (manualStates.has(r.workflowState) || settledElsewhere.has(r.provisioningState)) return r;
  if (waiting.has(r.provisioningState)) return supersede(ctx, r);
  ctx.recorder.removed(r, 'rule_lost', `no scalar rule computes ${r.property} any more`);
  return null;
}

interface ScalarChoice {
  readonly rule: ScalarRule;
  readonly memoKey: string | null;
  readonly period: Period;
}

/**
 * The rule that computes a property: a role-criterion rule beats one without, then the time offset
 * priority of scenario 37, then configuration order (the first candidate met keeps a tie).
 */
function better(candidate: ScalarRule, current: ScalarRule): boolean {
  const role = Number(candidate.singleRole !== null) - Number(current.singleRole !== null);
  if (role !== 0) return role > 0;
  return offsetPriority(candidate.timeOffset) < offsetPriority(current.timeOffset);
}

function settleScalars(
  ctx: EvaluationContext,
  settled: SettledResourceType,
  rt: ResourceType,
  roles: HeldRoles,
  byId: ReadonlyMap<string, Nested>,
  out: NestedOutcome,
): Set<string> {
  const { recorder, identity } = ctx;
  const { row, target } = settled;
  const rowPeriod = { start: row.startDate, end: row.endDate };
  const byProperty = new Map<string, ScalarChoice>();
  for (const { rule, memoKey } of ctx.rules.byResourceType(rt.id).scalars) {
    if (rule.singleRole !== null && !roles.held.has(rule.singleRole)) continue;
    const period = rulePeriod(ctx, rule, rowPeriod);
    if (!period || !ruleApplies(ctx, rule)) continue;
    const current = byProperty.get(rule.property);
    if (!current || better(rule, current.rule)) byProperty.set(rule.property, { rule, memoKey, period });
  }
  const ids = new Set<string>();
  const review = needsReview(ctx, rt);
  for (const [property, { rule, memoKey, period }] of byProperty) {
    const id = assignmentIds.scalar(row.id, property);
    const ex = byId.get(id) as AssignedScalar | undefined;
    const actual: ScalarValue = target ? (target.values[property] ?? null) : null;
    if (!rule.mapped && target !== null) {
      // Create-only: written with the creation, never read back, never non-conforming.
      if (ex) {
        ids.add(id);
        out.rows.push(ex);
      }
      continue;
    }
    ids.add(id);
    let value: ScalarValue = ex?.computedValue ?? null;
    let error: string | null = null;
    try {
      const converted = toScalarValue(scalarResult(ctx, rt, rule, property, period, memoKey, ex));
      if (converted.ok) value = converted.value;
      else error = converted.message;
    } catch (e) {
      error = describeError(e);
    }
    if (error !== null) {
      error = `scalar rule ${rule.id} (${rt.id}.${property}) failed for ${identity.key}: ${error}`;
      recorder.error('EXPRESSION_FAILED', rule.id, error);
    }
    const subject = { id, ownerId: identity.id };
    const same = ex !== undefined && ex.computedValue === value;
    const base: ScalarBase = {
      id,
      ownerId: identity.id,
      assignedResourceTypeId: row.id,
      resourceTypeId: rt.id,
      property,
      computedValue: value,
      currentValue: actual,
      mapped: rule.mapped,
      startDate: period.start,
      endDate: period.end,
      ruleId: rule.id,
    };
    const detail = { ruleId: rule.id, result: value };

    if (error !== null) {
      const workflowState = ex?.workflowState ?? toCalculated(ctx, subject, null, rule.id);
      if (workflowState === undefined) continue;
      const prov = settleProvisioning(recorder, subject, ex, { kind: 'error', message: error }, same, detail);
      out.rows.push(scalarRow(ex, base, workflowState, prov));
      continue;
    }
    if (target === null) {
      const workflowState =
        ex && manualStates.has(ex.workflowState)
          ? ex.workflowState
          : toCalculated(ctx, subject, ex?.workflowState ?? null, rule.id);
      if (workflowState === undefined) {
        if (ex) out.rows.push(ex);
        continue;
      }
      const prov = settleProvisioning(recorder, subject, ex, { kind: 'write', op: 'add', review }, same, detail);
      out.rows.push(scalarRow(ex, base, workflowState, prov));
      continue;
    }
    const equal = sameValue(value, actual, rule.comparison);
    const write: Desired = equal ? { kind: 'equal' } : { kind: 'write', op: 'update', review };
    if (ex && (ex.workflowState === W.Approved || ex.workflowState === W.ApprovedRisk)) {
      // A value a person kept: it wins over a source change unless discardManualAssignments (scenario 25).
      if (same) out.rows.push(keptOrChanged(ex, { ...ex, currentValue: actual }));
      else if (rt.discardManualAssignments) {
        const prov = settleProvisioning(recorder, subject, ex, write, false, detail);
        out.rows.push(scalarRow(ex, base, ex.workflowState, prov));
      } else {
        const to = recorder.workflow(ex, ex.workflowState, 'source_changed_on_approved', {
          ruleId: rule.id,
          result: value,
          message: `the source now gives ${JSON.stringify(value)}; the value a person kept stays until reviewed`,
        });
        out.rows.push(
          keptOrChanged(ex, {
            ...ex,
            workflowState: to ?? ex.workflowState,
            computedValue: value,
            currentValue: actual,
          }),
        );
      }
      continue;
    }
    if (ex && ex.workflowState === W.ApprovedQuestioned) {
      if (rt.discardManualAssignments && !same) {
        const to = recorder.workflow(ex, ex.workflowState, 'computed_value_accepted', detail) ?? ex.workflowState;
        const prov = settleProvisioning(recorder, subject, ex, write, false, detail);
        out.rows.push(scalarRow(ex, base, to ?? ex.workflowState, prov));
      } else out.rows.push(keptOrChanged(ex, { ...ex, computedValue: value, currentValue: actual }));
      continue;
    }
    if (ex && same && !equal && ex.provisioningState === P.Verified) {
      // Changed in the managed system outside Ordo: non-conforming, no overwrite (scenario 24).
      if (ex.workflowState === W.NonConforming) {
        out.rows.push(keptOrChanged(ex, { ...ex, currentValue: actual }));
        continue;
      }
      const to = recorder.workflow(ex, ex.workflowState, 'target_changed', {
        ruleId: rule.id,
        result: value,
        message: `${property} is ${JSON.stringify(actual)} in the managed system, the rule gives ${JSON.stringify(value)}`,
      });
      out.rows.push(keptOrChanged(ex, { ...ex, workflowState: to ?? ex.workflowState, currentValue: actual }));
      continue;
    }
    const workflowState = toCalculated(ctx, subject, ex?.workflowState ?? null, rule.id);
    if (workflowState === undefined) {
      if (ex) out.rows.push(ex);
      continue;
    }
    const prov = settleProvisioning(recorder, subject, ex, write, same, detail);
    out.rows.push(scalarRow(ex, base, workflowState, prov));
  }
  return ids;
}

/**
 * What a scalar rule's expression gives. Expressions that do not call `unique()` depend only on
 * the identity, the period and `now`, so their result is shared between the resource types that
 * carry the same expression (the login, display name and mail of each account); failures are not
 * remembered, so that each rule reports its own.
 */
function scalarResult(
  ctx: EvaluationContext,
  rt: ResourceType,
  rule: ScalarRule,
  property: string,
  period: Period,
  memoKey: string | null,
  ex: AssignedScalar | undefined,
): unknown {
  if (memoKey === null) {
    const { directory, identity } = ctx;
    return rule.expression.evaluate({
      identity: ctx.identityVariables,
      assignment: { start: period.start, end: period.end },
      now: ctx.now,
      taken: takenIn(directory, rt.targetEntityType, property, identity.id),
      kept: typeof ex?.computedValue === 'string' ? ex.computedValue : null,
    });
  }
  const key = `${memoKey}\u0000${period.start}\u0000${period.end}`;
  const results = ctx.memo.scalarResults;
  if (results.has(key)) return results.get(key);
  const result = rule.expression.evaluate({
    identity: ctx.identityVariables,
    assignment: { start: period.start, end: period.end },
    now: ctx.now,
  });
  results.set(key, result);
  return result;
}

type ScalarBase = Omit<AssignedScalar, 'kind' | 'workflowState' | keyof ProvisioningFields>;

/**
 * The scalar row computed, or the stored one when nothing changed. When the provisioning step kept
 * the stored row as it is (an order in flight, an error waiting for a person), the stored row wins
 * field by field, as it always has: the result is the stored row itself.
 */
function scalarRow(
  ex: AssignedScalar | undefined,
  base: ScalarBase,
  workflowState: WorkflowState,
  prov: ProvisioningFields,
): AssignedScalar {
  if (ex !== undefined && prov === ex) return ex;
  const next: AssignedScalar = {
    kind: 'scalar',
    id: base.id,
    ownerId: base.ownerId,
    assignedResourceTypeId: base.assignedResourceTypeId,
    resourceTypeId: base.resourceTypeId,
    property: base.property,
    computedValue: base.computedValue,
    currentValue: base.currentValue,
    mapped: base.mapped,
    startDate: base.startDate,
    endDate: base.endDate,
    ruleId: base.ruleId,
    workflowState,
    provisioningState: prov.provisioningState,
    pendingOperation: prov.pendingOperation,
    message: prov.message,
    declined: prov.declined,
  };
  return ex !== undefined && sameRow(ex, next) ? ex : next;
}

function keptOrChanged<T extends object>(ex: T, next: T): T {
  return sameRow(ex, next) ? ex : next;
}

/** Field by field over the stored row's fields, so that an unchanged row stays the same object. */
function sameRow<T extends object>(a: T, b: T): boolean {
  for (const k in a) if (a[k] !== b[k]) return false;
  return true;
}
