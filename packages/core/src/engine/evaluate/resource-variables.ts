import type { Model } from '../../model.ts';
import type { Resource } from '../../resources.ts';

/**
 * The plain object an expression sees for a resource: its scalar values, and for each navigation
 * property the key (mono-valued) or keys (multi-valued) of the linked resources, so that rules are
 * written against keys people know (a group's DN) rather than Ordo's internal ids.
 * `keyOf` resolves a linked id; an id it cannot resolve is passed as is.
 */
export function resourceVariables(
  model: Model,
  resource: Resource,
  keyOf: (id: string) => string | undefined,
): Record<string, unknown> {
  const variables: Record<string, unknown> = { ...resource.values };
  const properties = model.entityTypes[resource.entityType]?.properties ?? {};
  for (const [name, ids] of Object.entries(resource.links)) {
    const keys = ids.map((id) => keyOf(id) ?? id);
    const property = properties[name];
    const multiValued = property?.kind === 'navigation' ? property.multiValued : true;
    variables[name] = multiValued ? keys : (keys[0] ?? null);
  }
  return variables;
}
