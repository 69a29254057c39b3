import { assignmentIds } from '../../assignments.ts';
import type { Resource } from '../../resources.ts';
import { correlationMatches, correlationPlan } from './correlate.ts';
import { type EvaluationContext, ruleApplies } from './evaluation-context.ts';
import type { ResourceTypeExpectation } from './expected-resource-types.ts';

/** A single role deduced from a membership found in an owned target (reference spec §5.5). */
export interface DeducedRole {
  readonly roleId: string;
  /** The navigation rule that links the role to the membership found. */
  readonly ruleId: string;
  readonly message: string;
}

/**
 * Existing-assignment deduction: runs the navigation rules "in reverse" over memberships found in
 * the owner's targets that no assignment explains yet. A group that exactly one role gives deduces
 * that role; a group two roles give deduces nothing. Memberships Ordo already tracks are skipped,
 * so that a role lost by a rule change is not deduced back from the membership being removed.
 * Pure: reads the targets the owner has, or would correlate automatically.
 */
export function deduceRoles(
  ctx: EvaluationContext,
  expectation: ResourceTypeExpectation,
  heldSingleRoles: ReadonlySet<string>,
  heldCompositeRoles: ReadonlySet<string>,
): DeducedRole[] {
  const { directory, identity, existing } = ctx;
  let knownRoles: Set<string> | undefined;
  const deduced = new Map<string, DeducedRole>();

  for (const rt of ctx.rules.bySourceEntityType(identity.entityType).resourceTypes) {
    const { givingNavigations, hasGivingNavigations } = ctx.rules.byResourceType(rt.id);
    if (!hasGivingNavigations) continue;
    const owned: { rowId: string; target: Resource }[] = [];
    for (const a of existing.values()) {
      if (a.kind !== 'resource_type' || a.resourceTypeId !== rt.id || a.targetResourceId === null) continue;
      const target = directory.get(a.targetResourceId);
      if (target) owned.push({ rowId: a.id, target });
    }
    if (owned.length === 0 && expectation.expected.has(rt.id)) {
      const plan = correlationPlan(rt, correlationMatches(ctx, rt, new Set()).matches, false);
      for (const m of plan.correlate)
        owned.push({ rowId: assignmentIds.resourceType(identity.id, rt.id), target: m.target });
    }
    for (const { rowId, target } of owned) {
      for (const property in target.links) {
        const linkedIds = target.links[property] ?? [];
        for (const linkedId of linkedIds) {
          if (existing.has(assignmentIds.navigation(rowId, property, linkedId))) continue;
          const key = directory.get(linkedId)?.key;
          if (key === undefined) continue;
          const giving = givingNavigations.get(`${property}\u0000${key}`);
          if (giving === undefined || giving.some((n) => n.singleRole === null)) continue;
          const roles = new Set(giving.map((n) => n.singleRole as string));
          if (roles.size !== 1) continue;
          const roleId = [...roles][0] as string;
          const rule = giving[0];
          knownRoles ??= singleRolesOf(existing);
          if (!rule || heldSingleRoles.has(roleId) || knownRoles.has(roleId) || deduced.has(roleId)) continue;
          if (isDenied(ctx, roleId, heldCompositeRoles)) continue;
          deduced.set(roleId, {
            roleId,
            ruleId: rule.id,
            message: `${roleId} deduced from ${key} found in ${rt.id}.${property} (navigation rule ${rule.id})`,
          });
        }
      }
    }
  }
  return [...deduced.values()];
}

function singleRolesOf(existing: EvaluationContext['existing']): Set<string> {
  const roles = new Set<string>();
  for (const a of existing.values()) if (a.kind === 'single_role') roles.add(a.roleId);
  return roles;
}

function isDenied(ctx: EvaluationContext, roleId: string, heldComposites: ReadonlySet<string>): boolean {
  return ctx.rules
    .deniedSingleRoleRules(roleId)
    .some((r) => (r.compositeRole === null || heldComposites.has(r.compositeRole)) && ruleApplies(ctx, r));
}
