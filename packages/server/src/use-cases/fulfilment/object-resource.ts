import type { Model, ObjectState, Resource } from '@ordo/core';
import { resourceIdFor } from '../resource-id.ts';

/**
 * A managed system's object as an Ordo resource: links by key become links by id, through the
 * navigation property's target entity type. Unknown properties are dropped, so that a connector
 * answering more than the model declares cannot grow the resource.
 */
export function objectToResource(model: Model, object: ObjectState): Resource {
  const entityType = model.entityTypes[object.entityType];
  const values: Record<string, Resource['values'][string]> = {};
  const links: Record<string, string[]> = {};
  for (const [property, value] of Object.entries(object.values)) {
    if (entityType?.properties[property]?.kind === 'scalar') values[property] = value;
  }
  for (const [property, keys] of Object.entries(object.links)) {
    const navigation = entityType?.properties[property];
    if (navigation?.kind !== 'navigation') continue;
    links[property] = keys.map((key) => resourceIdFor(navigation.target, key));
  }
  if (entityType && values[entityType.key] === undefined) values[entityType.key] = object.key;
  return {
    id: resourceIdFor(object.entityType, object.key),
    entityType: object.entityType,
    key: object.key,
    values,
    links,
  };
}
