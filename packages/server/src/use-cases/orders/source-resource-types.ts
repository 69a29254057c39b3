import type { Model } from '@ordo/core';
import { UseCaseError } from '../use-case-error.ts';

/**
 * The resource types whose owners are of `entityType` (their source entity type), sorted: the
 * screens of Provisioning Review and Manual Provisioning are per source entity type. An entity
 * type the configuration does not know is 404, so a typo never shows an empty but "valid" screen.
 */
export function resourceTypesOfSource(model: Model, entityType: string): string[] {
  if (!Object.hasOwn(model.entityTypes, entityType)) {
    throw new UseCaseError('not_found', 'ENTITY_TYPE_NOT_FOUND', `there is no entity type "${entityType}"`);
  }
  return Object.values(model.resourceTypes)
    .filter((rt) => rt.sourceEntityType === entityType)
    .map((rt) => rt.id)
    .sort();
}

/** Opaque cursor of newest-first order lists: the last order's creation time and id. */
