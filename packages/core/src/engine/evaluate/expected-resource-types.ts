import type { ResourceType } from '../../model.ts';
import { latestEnd, offsetPeriod, type Period, periodOver } from './context-period.ts';
import { type EvaluationContext, ruleApplies } from './evaluation-context.ts';

/** A resource type the rules give the owner (reference spec §5.1 step 3.3). */
export interface ExpectedResourceType {
  readonly resourceType: ResourceType;
  /** `rule`: a type rule gives it (workflow 18); `role`: implied by a role-criterion rule (118). */
  readonly by: 'rule' | 'role';
  readonly ruleId: string;
  readonly period: Period;
}

export interface ResourceTypeExpectation {
  readonly expected: Map<string, ExpectedResourceType>;
  /** Resource type id → the denied type rule that forbids it. */
  readonly denied: Map<string, string>;
}

/**
 * Type rules (criterion: `when` and/or a single role held), plus the resource types implied by a
 * navigation or scalar rule whose single role the owner holds (DESIGN §2.9). Suggested and
 * automatic-with-validation type rules give nothing by themselves: they feed a request basket.
 */
export function expectedResourceTypes(ctx: EvaluationContext, heldRoles: ReadonlySet<string>): ResourceTypeExpectation {
  const expected = new Map<string, ExpectedResourceType>();
  const denied = new Map<string, string>();
  const { typeRules, implying } = ctx.rules.bySourceEntityType(ctx.identity.entityType);
  for (const { rule, resourceType: rt } of typeRules) {
    if (rule.singleRole !== null && !heldRoles.has(rule.singleRole)) continue;
    const period = resourceTypePeriod(ctx, rt);
    if (periodOver(period, ctx.now) || !ruleApplies(ctx, rule)) continue;
    if (rule.denied) {
      if (!denied.has(rt.id)) denied.set(rt.id, rule.id);
      continue;
    }
    if (rule.type !== 'required' || expected.get(rt.id)?.by === 'rule') continue;
    expected.set(rt.id, { resourceType: rt, by: 'rule', ruleId: rule.id, period });
  }
  for (const { rule, resourceType: rt } of implying) {
    if (expected.has(rt.id)) continue;
    if (!heldRoles.has(rule.singleRole) || !ruleApplies(ctx, rule)) continue;
    expected.set(rt.id, { resourceType: rt, by: 'role', ruleId: rule.id, period: resourceTypePeriod(ctx, rt) });
  }
  for (const id of denied.keys()) expected.delete(id);
  return { expected, denied };
}

/**
 * The owner's context, extended by the time offsets of the type's scalar and navigation rules
 * (reference spec §5.3: a property period longer than the assignment extends it), so that an
 * "after departure" value still has an account to be written to.
 */
export function resourceTypePeriod(ctx: EvaluationContext, rt: ResourceType): Period {
  const known = ctx.memo.typePeriods.get(rt.id);
  if (known) return known;
  const periods: Period[] = [ctx.context];
  for (const offset of ctx.rules.byResourceType(rt.id).timeOffsets) {
    const period = offsetPeriod(offset, ctx.context);
    if (period) periods.push(period);
  }
  const period = { start: ctx.context.start, end: latestEnd(periods) };
  ctx.memo.typePeriods.set(rt.id, period);
  return period;
}
