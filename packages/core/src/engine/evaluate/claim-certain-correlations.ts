import type { Model } from '../../model.ts';
import type { Resource } from '../../resources.ts';
import { resourceVariables } from './resource-variables.ts';
import { keysOf, type TargetDirectory } from './target-directory.ts';

/**
 * Targets that a correlation rule of confidence ≥ 100 matches for this identity and that nobody
 * owns yet. A complete computation claims them for every identity before evaluating anyone, so
 * that an account certainly belonging to one person is never proposed (below 100) to another
 * person evaluated earlier: the result must not depend on the order identities are computed in.
 * An expression that fails claims nothing; the evaluation reports the failure.
 */
export function certainCorrelationClaims(
  model: Model,
  identity: Resource,
  directory: Pick<TargetDirectory, 'correlationCandidates' | 'ownerOf'>,
): string[] {
  const claims: string[] = [];
  let variables: Record<string, unknown> | undefined;
  for (const rule of model.rules.correlations) {
    if (rule.confidence < 100) continue;
    const resourceType = model.resourceTypes[rule.resourceType];
    if (resourceType?.sourceEntityType !== identity.entityType) continue;
    variables ??= resourceVariables(model, identity, () => undefined);
    let keys: string[];
    try {
      keys = keysOf(rule.source.evaluate({ identity: variables }));
    } catch {
      continue;
    }
    for (const key of keys) {
      for (const target of directory.correlationCandidates(rule.id, key)) {
        if (target.entityType === resourceType.targetEntityType && directory.ownerOf(target.id) === null) {
          claims.push(target.id);
        }
      }
    }
  }
  return claims;
}
