import { ExpressionError } from '../../expression.ts';
import type { ClassificationRule, Model } from '../../model.ts';
import type { Resource } from '../../resources.ts';
import { resourceVariables } from './resource-variables.ts';

export interface Classification {
  readonly resourceId: string;
  readonly resourceTypeId: string;
  /** Confidence of the winning rule (0–150). */
  readonly confidence: number;
  readonly ruleId: string;
}

/** A classification rule whose expression failed on one resource: reported, never fatal. */
export interface ClassificationFailure {
  readonly resourceId: string;
  readonly ruleId: string;
  readonly code: 'CLASSIFICATION_RULE_FAILED';
  readonly message: string;
}

export interface ClassifyResult {
  readonly classified: Classification[];
  readonly failures: ClassificationFailure[];
}

/**
 * Gives each uncorrelated target one resource type (reference spec §5.4 classification): the
 * rules of resource types whose target entity type is the resource's are tried, and the matching
 * rule with the highest confidence wins; on a tie the rule written first in the configuration
 * wins, so the result does not depend on evaluation order. Owned (correlated) targets are skipped.
 * A rule that throws on one resource is reported in `failures` and the other rules still apply.
 */
export function classifyResources(
  model: Model,
  targets: readonly Resource[],
  owned: ReadonlySet<string>,
  resolve?: { resource(id: string): Resource | undefined },
): ClassifyResult {
  const rulesByEntityType = new Map<string, ClassificationRule[]>();
  for (const rule of model.rules.classifications) {
    const entityType = model.resourceTypes[rule.resourceType]?.targetEntityType;
    if (entityType === undefined) continue;
    rulesByEntityType.set(entityType, [...(rulesByEntityType.get(entityType) ?? []), rule]);
  }
  const result: ClassifyResult = { classified: [], failures: [] };
  for (const target of targets) {
    if (owned.has(target.id)) continue;
    const rules = rulesByEntityType.get(target.entityType);
    if (!rules) continue;
    const variables = { resource: resourceVariables(target, resolve) };
    let best: ClassificationRule | null = null;
    for (const rule of rules) {
      if (best !== null && rule.confidence <= best.confidence) continue;
      let matched: unknown;
      try {
        matched = rule.when.evaluate(variables);
      } catch (error) {
        result.failures.push({
          resourceId: target.id,
          ruleId: rule.id,
          code: 'CLASSIFICATION_RULE_FAILED',
          message: `classification rule ${rule.id} (${rule.resourceType}) failed on ${target.entityType} ${target.key}: ${
            error instanceof ExpressionError ? error.message : String(error)
          }`,
        });
        continue;
      }
      if (matched === true) best = rule;
    }
    if (best) {
      result.classified.push({
        resourceId: target.id,
        resourceTypeId: best.resourceType,
        confidence: best.confidence,
        ruleId: best.id,
      });
    }
  }
  return result;
}
