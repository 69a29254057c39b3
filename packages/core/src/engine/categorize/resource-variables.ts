import type { Resource } from '../../resources.ts';

/**
 * A resource as expressions see it (`ExpressionVariables.resource`): its scalar values, and each
 * navigation property as the key (single-valued) or keys (multi-valued) of the linked resources,
 * when a resolver can name them. Links whose resource is unknown are left out.
 */
export function resourceVariables(
  r: Resource,
  resolve?: { resource(id: string): Resource | undefined },
): Record<string, unknown> {
  const vars: Record<string, unknown> = { ...r.values };
  if (!resolve) return vars;
  for (const [property, ids] of Object.entries(r.links)) {
    const keys = ids.flatMap((id) => {
      const linked = resolve.resource(id);
      return linked ? [linked.key] : [];
    });
    vars[property] = keys;
  }
  return vars;
}
