import { expressionResultKey } from '../../cel/compile-expression.ts';
import type {
  CorrelationRule,
  Model,
  NavigationRule,
  QueryRule,
  ResourceType,
  ScalarRule,
  SingleRoleRule,
  TimeOffset,
  TypeRule,
} from '../../model.ts';

/** A scalar rule, and how its results may be shared within one identity's evaluation. */
export interface IndexedScalarRule {
  readonly rule: ScalarRule;
  /**
   * Short stand-in for `expressionResultKey`: rules with equal keys give equal results for one
   * identity and period. Null when the result cannot be shared (`unique()`, or an expression not
   * compiled by Ordo's CEL library).
   */
  readonly memoKey: string | null;
}

/** A type rule whose resource type exists, with that resource type resolved. */
export interface ResolvedTypeRule {
  readonly rule: TypeRule;
  readonly resourceType: ResourceType;
}

/** A non-denied navigation or scalar rule with a single role criterion, which implies its resource type. */
export interface ImplyingRule {
  readonly rule: { readonly id: string; readonly when: NavigationRule['when']; readonly singleRole: string };
  readonly resourceType: ResourceType;
}

/** Rules of one resource type, in configuration order unless said otherwise. */
export interface ResourceTypeRules {
  readonly scalars: readonly IndexedScalarRule[];
  readonly navigations: readonly NavigationRule[];
  /** Non-denied navigation rules, by `property\0value`: the rules that give one membership. */
  readonly givingNavigations: ReadonlyMap<string, readonly NavigationRule[]>;
  readonly hasGivingNavigations: boolean;
  /** Descending confidence; rules of equal confidence stay in configuration order. */
  readonly queries: readonly QueryRule[];
  /** Descending confidence; rules of equal confidence stay in configuration order. */
  readonly correlations: readonly CorrelationRule[];
  /** Time offsets of the scalar and navigation rules, which may extend the assignment's period. */
  readonly timeOffsets: readonly TimeOffset[];
}

/** Rules of the resource types whose source is one entity type (an identity's own types). */
export interface SourceRules {
  readonly resourceTypes: readonly ResourceType[];
  readonly typeRules: readonly ResolvedTypeRule[];
  /** Non-denied navigation rules first, then scalar rules, each in configuration order. */
  readonly implying: readonly ImplyingRule[];
}

/**
 * The model's rules grouped the way one identity's evaluation reads them, so that each step looks
 * at the few rules that concern it instead of scanning every rule of the model for every owner.
 * Groups keep the configuration order, on which the engine's tie-breaks depend.
 */
export interface RuleIndex {
  byResourceType(resourceTypeId: string): ResourceTypeRules;
  bySourceEntityType(entityType: string): SourceRules;
  navigationById(ruleId: string): NavigationRule | undefined;
  /**
   * Single role rules whose composite role criterion is met (none, or one of `heldComposites`),
   * in configuration order.
   */
  singleRoleRulesFor(heldComposites: ReadonlySet<string>): readonly SingleRoleRule[];
  /** Denied single role rules of this role. */
  deniedSingleRoleRules(roleId: string): readonly SingleRoleRule[];
}

const noRules: ResourceTypeRules = {
  scalars: [],
  navigations: [],
  givingNavigations: new Map(),
  hasGivingNavigations: false,
  queries: [],
  correlations: [],
  timeOffsets: [],
};

// A Model is frozen once compiled, so an index built from it stays true as long as the model lives.
const indexes = new WeakMap<Model, RuleIndex>();

/** The rule index of a model, built on first use and kept as long as the model is. */
export function ruleIndex(model: Model): RuleIndex {
  let index = indexes.get(model);
  if (!index) {
    index = buildRuleIndex(model);
    indexes.set(model, index);
  }
  return index;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function buildRuleIndex(model: Model): RuleIndex {
  const { rules } = model;
  const memoKeys = new Map<string, string>();
  const scalars = groupBy(
    rules.scalars.map((rule): IndexedScalarRule => {
      const key = expressionResultKey(rule.expression);
      if (key === null) return { rule, memoKey: null };
      let memoKey = memoKeys.get(key);
      if (memoKey === undefined) {
        memoKey = String(memoKeys.size);
        memoKeys.set(key, memoKey);
      }
      return { rule, memoKey };
    }),
    (s) => s.rule.resourceType,
  );
  const navigations = groupBy(rules.navigations, (n) => n.resourceType);
  // Array.prototype.sort is stable: equal confidences keep the configuration order, as the
  // filter-then-sort the engine did before.
  const byConfidence = <T extends { confidence: number }>(list: T[]) =>
    list.sort((a, b) => b.confidence - a.confidence);
  const queries = groupBy(rules.queries, (q) => q.resourceType);
  const correlations = groupBy(rules.correlations, (c) => c.resourceType);

  const resourceTypeIds = new Set<string>([
    ...scalars.keys(),
    ...navigations.keys(),
    ...queries.keys(),
    ...correlations.keys(),
  ]);
  const byType = new Map<string, ResourceTypeRules>();
  for (const id of resourceTypeIds) {
    const typeNavigations = navigations.get(id) ?? [];
    const typeScalars = scalars.get(id) ?? [];
    const giving = groupBy(
      typeNavigations.filter((n) => !n.denied),
      (n) => `${n.property}\u0000${n.value}`,
    );
    const timeOffsets: TimeOffset[] = [];
    for (const { rule } of typeScalars) if (rule.timeOffset !== null) timeOffsets.push(rule.timeOffset);
    for (const rule of typeNavigations) if (rule.timeOffset !== null) timeOffsets.push(rule.timeOffset);
    byType.set(id, {
      scalars: typeScalars,
      navigations: typeNavigations,
      givingNavigations: giving,
      hasGivingNavigations: giving.size > 0,
      queries: byConfidence(queries.get(id) ?? []),
      correlations: byConfidence(correlations.get(id) ?? []),
      timeOffsets,
    });
  }

  const bySource = new Map<string, SourceRules>();
  const sourceRules = (entityType: string): SourceRules => {
    const own = (id: string) => {
      const rt = model.resourceTypes[id];
      return rt && rt.sourceEntityType === entityType ? rt : undefined;
    };
    const typeRules: ResolvedTypeRule[] = [];
    for (const rule of rules.types) {
      const resourceType = own(rule.resourceType);
      if (resourceType) typeRules.push({ rule, resourceType });
    }
    const implying: ImplyingRule[] = [];
    for (const rule of [...rules.navigations.filter((r) => !r.denied), ...rules.scalars]) {
      const resourceType = own(rule.resourceType);
      if (!resourceType || rule.singleRole === null) continue;
      implying.push({ rule: rule as ImplyingRule['rule'], resourceType });
    }
    return {
      resourceTypes: Object.values(model.resourceTypes).filter((rt) => rt.sourceEntityType === entityType),
      typeRules,
      implying,
    };
  };

  const navigationsById = new Map<string, NavigationRule>();
  // `find` returned the first rule of an id: keep the first one.
  for (const rule of rules.navigations) if (!navigationsById.has(rule.id)) navigationsById.set(rule.id, rule);
  const deniedSingleRoles = groupBy(
    rules.singleRoles.filter((r) => r.denied),
    (r) => r.role,
  );
  const noSingleRoleRules: readonly SingleRoleRule[] = [];
  const positions = new Map<SingleRoleRule, number>();
  rules.singleRoles.forEach((rule, position) => {
    positions.set(rule, position);
  });
  const unconditional = rules.singleRoles.filter((r) => r.compositeRole === null);
  const byComposite = groupBy(
    rules.singleRoles.filter((r) => r.compositeRole !== null),
    (r) => r.compositeRole as string,
  );
  const singleRoleRulesFor = (heldComposites: ReadonlySet<string>): readonly SingleRoleRule[] => {
    let found: SingleRoleRule[] | undefined;
    let sources = unconditional.length > 0 ? 1 : 0;
    for (const composite of heldComposites) {
      const list = byComposite.get(composite);
      if (!list) continue;
      found ??= [...unconditional];
      for (const rule of list) found.push(rule);
      sources++;
    }
    if (!found) return unconditional;
    // Rules from several groups interleave in the configuration: put them back in its order.
    if (sources > 1) found.sort((a, b) => (positions.get(a) ?? 0) - (positions.get(b) ?? 0));
    return found;
  };

  return {
    byResourceType: (id) => byType.get(id) ?? noRules,
    bySourceEntityType(entityType) {
      let found = bySource.get(entityType);
      if (!found) {
        found = sourceRules(entityType);
        bySource.set(entityType, found);
      }
      return found;
    },
    navigationById: (id) => navigationsById.get(id),
    singleRoleRulesFor,
    deniedSingleRoleRules: (roleId) => deniedSingleRoles.get(roleId) ?? noSingleRoleRules,
  };
}
