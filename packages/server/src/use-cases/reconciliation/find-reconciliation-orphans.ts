import {
  type AssignedResourceType,
  classifyResources,
  findOrphans,
  type Model,
  type Orphan,
  type Resource,
} from '@ordo/core';
import type { Stores } from '../../storage/stores.ts';

/** Prefix of an orphan's reconciliation id: `orphan:<resource id>`. */
export const orphanIdPrefix = 'orphan:';

export interface OrphanContext {
  /** Undecided orphans of the entity type, in resource id order. */
  readonly orphans: readonly Orphan[];
  /** Targets of the entity type by id (to resolve keys and derive orders). */
  readonly targets: ReadonlyMap<string, Resource>;
  /** Assigned resource types of the resource types targeting the entity type. */
  readonly rows: readonly AssignedResourceType[];
}

/** Resource types whose targets are resources of `entityType` (e.g. LdapAccount, LdapAdminAccount). */
export function resourceTypesTargeting(model: Model, entityType: string): string[] {
  return Object.values(model.resourceTypes)
    .filter((rt) => rt.targetEntityType === entityType)
    .map((rt) => rt.id)
    .sort();
}

/**
 * The orphan accounts of a target entity type, as the engine's own `classifyResources` and
 * `findOrphans` see them: targets no living owner holds, whose owner is gone or that classify into
 * a resource type. Orphans a person already decided about are left out (kept: an exception;
 * removed: their deletion order is under way). Reads every target of the entity type.
 */
export async function findReconciliationOrphans(
  deps: { stores: Pick<Stores, 'resources' | 'reconciliation'> },
  model: Model,
  entityType: string,
): Promise<OrphanContext> {
  const targets: Resource[] = [];
  for (let afterId: string | undefined; ; ) {
    const page = await deps.stores.resources.listByEntityType(entityType, {
      limit: 5000,
      ...(afterId ? { afterId } : {}),
    });
    if (page.length === 0) break;
    targets.push(...page);
    afterId = page[page.length - 1]?.id;
  }
  const rows = await deps.stores.reconciliation.listResourceTypeRows(resourceTypesTargeting(model, entityType));
  const owners = [...new Set(rows.map((r) => r.ownerId))];
  const living = new Set((await deps.stores.resources.getMany(owners)).map((r) => r.id));
  const owned = new Set(
    rows.filter((r) => r.targetResourceId !== null && living.has(r.ownerId)).map((r) => r.targetResourceId as string),
  );
  const byId = new Map(targets.map((t) => [t.id, t]));
  const { classified } = classifyResources(model, targets, owned, { resource: (id) => byId.get(id) });
  const found = findOrphans({ model, targets, assignments: rows, classified, ownerExists: (id) => living.has(id) });
  const decided = new Set(
    (await deps.stores.reconciliation.decisionsAbout(found.map((o) => o.resourceId)))
      .filter((d) => d.subjectKind === 'orphan')
      .map((d) => d.subjectId),
  );
  return {
    orphans: found.filter((o) => !decided.has(o.resourceId)).sort((a, b) => compare(a.resourceId, b.resourceId)),
    targets: byId,
    rows,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
