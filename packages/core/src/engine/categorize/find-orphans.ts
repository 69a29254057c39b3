import { type AssignedResourceType, type Assignment, isProvisioned } from '../../assignments.ts';
import type { Model } from '../../model.ts';
import type { Resource } from '../../resources.ts';
import type { Classification } from './classify-resources.ts';

/**
 * A target without a living owner. `owner_gone`: Ordo assigned it to an owner that no longer
 * exists. `unowned`: never owned, only classified to a resource type (an unauthorized account).
 */
export interface Orphan {
  readonly resourceId: string;
  readonly resourceTypeId: string;
  readonly kind: 'owner_gone' | 'unowned';
  readonly previousOwnerId: string | null;
  readonly assignedResourceTypeId: string | null;
  /**
   * `delete`: the resource type removes orphans (removeOrphans and allowRemove), see
   * `deriveOrphanOrders`. `reconcile`: a person decides in resource reconciliation.
   */
  readonly action: 'delete' | 'reconcile';
}

export interface FindOrphansInput {
  readonly model: Model;
  /** Synchronized targets (accounts...) of the managed systems. */
  readonly targets: readonly Resource[];
  /** Assignment rows; their assigned resource types tell who owns which target. */
  readonly assignments: readonly Assignment[];
  /** Classification of the uncorrelated targets (`classifyResources`). */
  readonly classified: readonly Classification[];
  readonly ownerExists: (ownerId: string) => boolean;
}

/**
 * Finds orphans (reference spec §3.5 G, scenario 29). Only a target whose owner disappeared can be
 * deleted automatically: a never-owned target is an unauthorized account, and deleting those
 * without a person would wipe a whole system on its first load. A target that a living owner
 * holds is never an orphan, and a deletion already pending is left to its order.
 */
export function findOrphans(input: FindOrphansInput): Orphan[] {
  const livingOwned = new Set<string>();
  const ownerGone = new Map<string, AssignedResourceType>();
  for (const a of input.assignments) {
    if (!isProvisioned(a) || a.kind !== 'resource_type' || a.targetResourceId === null) continue;
    if (input.ownerExists(a.ownerId)) livingOwned.add(a.targetResourceId);
    else if (a.pendingOperation !== 'remove') ownerGone.set(a.targetResourceId, a);
  }
  const classifiedById = new Map(input.classified.map((c) => [c.resourceId, c]));
  const orphans: Orphan[] = [];
  for (const target of input.targets) {
    if (livingOwned.has(target.id)) continue;
    const row = ownerGone.get(target.id);
    if (row) {
      const resourceType = input.model.resourceTypes[row.resourceTypeId];
      const removes = resourceType?.removeOrphans && resourceType.allowRemove;
      orphans.push({
        resourceId: target.id,
        resourceTypeId: row.resourceTypeId,
        kind: 'owner_gone',
        previousOwnerId: row.ownerId,
        assignedResourceTypeId: row.id,
        action: removes ? 'delete' : 'reconcile',
      });
      continue;
    }
    const classification = classifiedById.get(target.id);
    if (classification) {
      orphans.push({
        resourceId: target.id,
        resourceTypeId: classification.resourceTypeId,
        kind: 'unowned',
        previousOwnerId: null,
        assignedResourceTypeId: null,
        action: 'reconcile',
      });
    }
  }
  return orphans;
}
