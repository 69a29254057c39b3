import type { ResourceType } from '../../model.ts';
import type { Resource } from '../../resources.ts';
import { describeError, type EvaluationContext, identityKeys } from './evaluation-context.ts';

export interface CorrelationMatch {
  readonly target: Resource;
  readonly confidence: number;
  readonly ruleId: string;
}

export interface CorrelationFailure {
  readonly ruleId: string;
  readonly message: string;
}

/**
 * Targets of this resource type that the correlation rules match for the owner, best confidence
 * first (ties by key, so that the choice is stable). Targets another identity owns, and those in
 * `exclude` (already linked, or declined in review), are left out. Pure: failures are returned.
 */
export function correlationMatches(
  ctx: EvaluationContext,
  resourceType: ResourceType,
  exclude: ReadonlySet<string>,
): { matches: CorrelationMatch[]; failures: CorrelationFailure[] } {
  const best = new Map<string, CorrelationMatch>();
  const failures: CorrelationFailure[] = [];
  for (const rule of ctx.rules.byResourceType(resourceType.id).correlations) {
    let keys: string[];
    try {
      keys = identityKeys(ctx, rule.source);
    } catch (error) {
      failures.push({
        ruleId: rule.id,
        message: `correlation rule ${rule.id} failed for ${ctx.identity.key}: ${describeError(error)}`,
      });
      continue;
    }
    for (const key of keys) {
      for (const target of ctx.directory.correlationCandidates(rule.id, key)) {
        if (target.entityType !== resourceType.targetEntityType || exclude.has(target.id)) continue;
        const owner = ctx.directory.ownerOf(target.id);
        if (owner !== null && owner !== ctx.identity.id) continue;
        const known = best.get(target.id);
        if (!known || known.confidence < rule.confidence) {
          best.set(target.id, { target, confidence: rule.confidence, ruleId: rule.id });
        }
      }
    }
  }
  if (best.size === 0) return { matches: [], failures };
  const matches = [...best.values()].sort(
    (a, b) => b.confidence - a.confidence || (a.target.key < b.target.key ? -1 : a.target.key > b.target.key ? 1 : 0),
  );
  return { matches, failures };
}

export interface CorrelationPlan {
  /** Targets to link automatically (confidence ≥ 100). */
  readonly correlate: CorrelationMatch[];
  /** Association proposals for a person (Provisioning Review). */
  readonly suggest: CorrelationMatch[];
}

/**
 * The multiple-match policy of reference spec §5.4: correlate multiple resources (CMR) × suggest
 * all correlations (SAC) × whether the owner already has a correlated target of this type.
 */
export function correlationPlan(
  resourceType: ResourceType,
  matches: readonly CorrelationMatch[],
  alreadyCorrelated: boolean,
): CorrelationPlan {
  const high = matches.filter((m) => m.confidence >= 100);
  const low = matches.filter((m) => m.confidence < 100);
  const { correlateMultipleResources: cmr, suggestAllCorrelations: sac } = resourceType;
  if (!cmr) {
    if (alreadyCorrelated) return { correlate: [], suggest: sac ? high : [] };
    if (sac) return { correlate: [], suggest: [...matches] };
    const first = matches[0];
    if (!first) return { correlate: [], suggest: [] };
    return first.confidence >= 100 ? { correlate: [first], suggest: [] } : { correlate: [], suggest: [first] };
  }
  if (sac) return { correlate: high, suggest: low };
  return { correlate: high, suggest: alreadyCorrelated || high.length > 0 ? [] : low };
}
