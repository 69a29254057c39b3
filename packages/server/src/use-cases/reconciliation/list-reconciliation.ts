import {
  type Assignment,
  type IdentityScope,
  inIdentityScope,
  type Model,
  type Resource,
  type ScalarValue,
} from '@ordo/core';
import type { Stores } from '../../storage/stores.ts';
import { UseCaseError } from '../use-case-error.ts';
import { findReconciliationOrphans, orphanIdPrefix, resourceTypesTargeting } from './find-reconciliation-orphans.ts';

/** One line of a reconciliation screen. */
export interface ReconciliationItem {
  /** `orphan:<resource id>` for an orphan account, else the assignment id. */
  readonly id: string;
  readonly category: 'orphan' | 'resource_type' | 'scalar' | 'navigation' | 'single_role' | 'composite_role';
  /** 1 Non-conforming or 3 Pre-existing; null for an orphan (it has no assignment). */
  readonly workflowState: number | null;
  readonly ownerId: string | null;
  readonly ownerKey: string | null;
  readonly resourceTypeId: string | null;
  readonly roleId: string | null;
  readonly targetResourceId: string | null;
  readonly targetKey: string | null;
  readonly property: string | null;
  /** Scalars: what the role model computes ("proposed") and what the system holds ("current"). */
  readonly proposedValue: ScalarValue | null;
  readonly currentValue: ScalarValue | null;
  /** Navigations: the linked resource found in the system (e.g. a group). */
  readonly valueResourceId: string | null;
  readonly valueKey: string | null;
  readonly provisioningState: number | null;
  /** Orphans: `owner_gone` (its owner was deleted) or `unowned` (never owned: an unauthorized account). */
  readonly orphanKind: 'owner_gone' | 'unowned' | null;
  /** Orphans whose resource type removes orphans on its own (removeOrphans). */
  readonly removedAutomatically: boolean;
}

export interface ReconciliationPage {
  readonly items: readonly ReconciliationItem[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

type ListDeps = { stores: Pick<Stores, 'resources' | 'reconciliation'> };

export interface ListRequest {
  readonly entityType: string;
  readonly scope: IdentityScope;
  readonly after?: string;
  readonly limit: number;
}

/**
 * Resource reconciliation of a target entity type (e.g. LdapAccount): orphan accounts, then
 * non-conforming and pre-existing assigned resource types, scalars ("unreconciled properties":
 * proposed vs current) and navigations, in id order with cursor paging. Orphans, having no owner,
 * are shown only to people whose scope is every identity.
 */
export async function listResourceReconciliation(
  deps: ListDeps,
  model: Model,
  request: ListRequest,
): Promise<ReconciliationPage> {
  const resourceTypeIds = resourceTypesTargeting(model, request.entityType);
  if (resourceTypeIds.length === 0) throw notReconcilable(request.entityType, 'no resource type targets it');
  const { orphans, targets } =
    request.scope.kind === 'all'
      ? await findReconciliationOrphans(deps, model, request.entityType)
      : { orphans: [], targets: new Map<string, Resource>() };
  const orphanItems: ReconciliationItem[] = orphans
    .filter((o) => request.after === undefined || `${orphanIdPrefix}${o.resourceId}` > request.after)
    .slice(0, request.limit)
    .map((o) => ({
      ...blank,
      id: `${orphanIdPrefix}${o.resourceId}`,
      category: 'orphan',
      ownerId: o.previousOwnerId,
      resourceTypeId: o.resourceTypeId,
      targetResourceId: o.resourceId,
      targetKey: targets.get(o.resourceId)?.key ?? null,
      orphanKind: o.kind,
      removedAutomatically: o.action === 'delete',
    }));
  const found = await deps.stores.reconciliation.listFound({
    kinds: ['resource_type', 'scalar', 'navigation'],
    itemIds: resourceTypeIds,
    ...(request.after !== undefined ? { afterId: request.after } : {}),
    limit: request.limit,
  });
  return page(deps, request, orphanItems, found);
}

/** Role reconciliation of an identity entity type (e.g. Person): non-conforming and pre-existing roles. */
export async function listRoleReconciliation(
  deps: ListDeps,
  model: Model,
  request: ListRequest,
): Promise<ReconciliationPage> {
  const roleIds = rolesOf(model, request.entityType);
  if (roleIds.length === 0) throw notReconcilable(request.entityType, 'no role is given to it');
  const found = await deps.stores.reconciliation.listFound({
    kinds: ['single_role', 'composite_role'],
    itemIds: roleIds,
    ...(request.after !== undefined ? { afterId: request.after } : {}),
    limit: request.limit,
  });
  return page(deps, request, [], found);
}

export function rolesOf(model: Model, entityType: string): string[] {
  return [...Object.values(model.singleRoles), ...Object.values(model.compositeRoles)]
    .filter((role) => role.entityType === entityType)
    .map((role) => role.id)
    .sort();
}

export function notReconcilable(entityType: string, why: string): UseCaseError {
  return new UseCaseError(
    'not_found',
    'ENTITY_TYPE_NOT_RECONCILABLE',
    `${entityType} cannot be reconciled here: ${why}`,
  );
}

const blank: Omit<ReconciliationItem, 'id' | 'category'> = {
  workflowState: null,
  ownerId: null,
  ownerKey: null,
  resourceTypeId: null,
  roleId: null,
  targetResourceId: null,
  targetKey: null,
  property: null,
  proposedValue: null,
  currentValue: null,
  valueResourceId: null,
  valueKey: null,
  provisioningState: null,
  orphanKind: null,
  removedAutomatically: false,
};

async function page(
  deps: ListDeps,
  request: ListRequest,
  orphanItems: readonly ReconciliationItem[],
  found: readonly Assignment[],
): Promise<ReconciliationPage> {
  // Both lists are in id order and at most `limit` long: their merge's head is this page.
  type Entry = { id: string; orphan?: ReconciliationItem; assignment?: Assignment };
  const merged: Entry[] = [
    ...orphanItems.map((o) => ({ id: o.id, orphan: o })),
    ...found.map((a) => ({ id: a.id, assignment: a })),
  ]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, request.limit);
  const nextCursor = merged.length === request.limit ? (merged[merged.length - 1]?.id ?? null) : null;

  const assignments = merged.flatMap((e) => (e.assignment ? [e.assignment] : []));
  const parentIds = assignments.flatMap((a) =>
    a.kind === 'scalar' || a.kind === 'navigation' ? [a.assignedResourceTypeId] : [],
  );
  const parents = new Map(
    (await deps.stores.reconciliation.getByIds(parentIds)).map((p) => [p.id, p.kind === 'resource_type' ? p : null]),
  );
  const resourceIds = new Set<string>();
  for (const a of assignments) {
    resourceIds.add(a.ownerId);
    if (a.kind === 'resource_type' && a.targetResourceId) resourceIds.add(a.targetResourceId);
    if (a.kind === 'navigation') resourceIds.add(a.valueResourceId);
    if (a.kind === 'scalar' || a.kind === 'navigation') {
      const target = parents.get(a.assignedResourceTypeId)?.targetResourceId;
      if (target) resourceIds.add(target);
    }
  }
  for (const e of merged) if (e.orphan?.ownerId) resourceIds.add(e.orphan.ownerId);
  const resources = new Map((await deps.stores.resources.getMany([...resourceIds])).map((r) => [r.id, r]));

  const items: ReconciliationItem[] = [];
  for (const e of merged) {
    if (e.orphan) {
      items.push({ ...e.orphan, ownerKey: e.orphan.ownerId ? (resources.get(e.orphan.ownerId)?.key ?? null) : null });
      continue;
    }
    const a = e.assignment as Assignment;
    const owner = resources.get(a.ownerId);
    // Out of the person's scope (or the owner is gone): not theirs to see.
    if (!owner || !inIdentityScope(request.scope, owner)) continue;
    const base = { ...blank, id: a.id, workflowState: a.workflowState, ownerId: a.ownerId, ownerKey: owner.key };
    if (a.kind === 'single_role' || a.kind === 'composite_role') {
      items.push({ ...base, category: a.kind, roleId: a.roleId });
      continue;
    }
    const targetId =
      a.kind === 'resource_type'
        ? a.targetResourceId
        : (parents.get(a.assignedResourceTypeId)?.targetResourceId ?? null);
    const common = {
      ...base,
      resourceTypeId: a.resourceTypeId,
      provisioningState: a.provisioningState,
      targetResourceId: targetId,
      targetKey: targetId ? (resources.get(targetId)?.key ?? null) : null,
    };
    if (a.kind === 'resource_type') items.push({ ...common, category: 'resource_type' });
    else if (a.kind === 'scalar') {
      items.push({
        ...common,
        category: 'scalar',
        property: a.property,
        proposedValue: a.computedValue,
        currentValue: a.currentValue,
      });
    } else {
      items.push({
        ...common,
        category: 'navigation',
        property: a.property,
        valueResourceId: a.valueResourceId,
        valueKey: resources.get(a.valueResourceId)?.key ?? null,
      });
    }
  }
  return { items, nextCursor };
}
