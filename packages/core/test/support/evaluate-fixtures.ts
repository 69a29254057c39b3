import type { Assignment } from '../../src/assignments.ts';
import { type EvaluateIdentityResult, evaluateIdentity } from '../../src/engine/evaluate/evaluate-identity.ts';
import type { ReviewMode } from '../../src/engine/evaluate/evaluation-context.ts';
import { createTargetDirectory } from '../../src/engine/evaluate/target-directory.ts';
import type {
  CompositeRoleRule,
  CorrelationRule,
  Model,
  NavigationRule,
  QueryRule,
  ScalarRule,
  SingleRoleRule,
  TypeRule,
} from '../../src/model.ts';
import type { Resource } from '../../src/resources.ts';
import { expr } from './expr.ts';
import { ruleLocation as location } from './model-builder.ts';

/**
 * Test helpers for the role-model evaluation: rules with the configuration defaults, synced
 * resources of the `model()` entity types, and a one-call `evaluate`.
 */
export const NOW = '2025-06-15T10:00:00.000Z';

export const typeRule = (over: Partial<TypeRule> & Pick<TypeRule, 'id' | 'resourceType'>): TypeRule => ({
  location,
  when: null,
  singleRole: null,
  type: 'required',
  denied: false,
  ...over,
});

export const scalarRule = (
  over: Partial<Omit<ScalarRule, 'expression'>> &
    Pick<ScalarRule, 'id' | 'resourceType' | 'property'> & { expression: string },
): ScalarRule => ({
  location,
  when: null,
  singleRole: null,
  mapped: true,
  comparison: 'case_sensitive',
  timeOffset: null,
  ...over,
  expression: expr(over.expression, over.id),
});

export const navigationRule = (
  over: Partial<NavigationRule> & Pick<NavigationRule, 'id' | 'resourceType' | 'value'>,
): NavigationRule => ({
  location,
  when: null,
  property: 'memberOf',
  singleRole: null,
  denied: false,
  timeOffset: null,
  ...over,
});

export const queryRule = (
  over: Pick<QueryRule, 'id' | 'resourceType' | 'confidence'> & { source: string; target: string; property?: string },
): QueryRule => ({
  location,
  when: null,
  property: over.property ?? 'memberOf',
  id: over.id,
  resourceType: over.resourceType,
  confidence: over.confidence,
  source: expr(over.source, over.id),
  target: expr(over.target, over.id),
});

export const correlationRule = (
  over: Pick<CorrelationRule, 'id' | 'resourceType'> & { source: string; target: string; confidence?: number },
): CorrelationRule => ({
  location,
  id: over.id,
  resourceType: over.resourceType,
  confidence: over.confidence ?? 100,
  source: expr(over.source, over.id),
  target: expr(over.target, over.id),
});

export const singleRoleRule = (
  over: Partial<SingleRoleRule> & Pick<SingleRoleRule, 'id' | 'role'>,
): SingleRoleRule => ({ location, when: null, compositeRole: null, type: 'required', denied: false, ...over });

export const compositeRoleRule = (
  over: Partial<CompositeRoleRule> & Pick<CompositeRoleRule, 'id' | 'role'>,
): CompositeRoleRule => ({ location, when: null, type: 'required', denied: false, ...over });

export function person(id: string, values: Record<string, string | null> = {}): Resource {
  return { id, entityType: 'Person', key: values.employeeId ?? id, values: { employeeId: id, ...values }, links: {} };
}

export function account(
  id: string,
  values: Record<string, string | boolean | null>,
  memberOf: string[] = [],
): Resource {
  return { id, entityType: 'Account', key: String(values.uid ?? id), values, links: { memberOf } };
}

export function group(id: string, dn = `cn=${id},ou=groups`): Resource {
  return { id, entityType: 'Group', key: dn, values: { dn }, links: {} };
}

export interface EvaluateOptions {
  existing?: readonly Assignment[];
  targets?: readonly Resource[];
  ownership?: readonly { resourceId: string; ownerId: string }[];
  firstSynchronization?: boolean;
  review?: ReviewMode;
  now?: string;
}

export function evaluate(model: Model, identity: Resource, options: EvaluateOptions = {}): EvaluateIdentityResult {
  return evaluateIdentity({
    model,
    now: options.now ?? NOW,
    identity,
    existing: options.existing ?? [],
    directory: createTargetDirectory(model, options.targets ?? [], options.ownership ?? []),
    firstSynchronization: options.firstSynchronization ?? false,
    review: options.review ?? 'per_resource_type',
  });
}

/** The assignment with this id, or a failing lookup that names what exists. */
export function row<K extends Assignment['kind']>(
  result: { assignments: readonly Assignment[] },
  id: string,
  kind?: K,
): Extract<Assignment, { kind: K }> {
  const found = result.assignments.find((a) => a.id === id);
  if (!found || (kind && found.kind !== kind)) {
    throw new Error(`no ${kind ?? 'assignment'} ${id}; have: ${result.assignments.map((a) => a.id).join(', ')}`);
  }
  return found as Extract<Assignment, { kind: K }>;
}
