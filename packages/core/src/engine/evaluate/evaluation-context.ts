import type { Assignment } from '../../assignments.ts';
import { type Expression, ExpressionError, type ExpressionVariables } from '../../expression.ts';
import type { Model, ResourceType } from '../../model.ts';
import type { Resource } from '../../resources.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import type { Period } from './context-period.ts';
import type { RuleIndex } from './rule-index.ts';
import { keysOf, type TargetDirectory } from './target-directory.ts';

/** Job switch (reference spec scenario 41): review per resource type, review everything, or none. */
export type ReviewMode = 'per_resource_type' | 'all' | 'none';

/** What every step of one identity's evaluation reads. */
export interface EvaluationContext {
  readonly model: Model;
  readonly now: string;
  readonly identity: Resource;
  readonly identityVariables: Readonly<Record<string, unknown>>;
  readonly context: Period;
  readonly directory: TargetDirectory;
  readonly existing: ReadonlyMap<string, Assignment>;
  readonly firstSynchronization: boolean;
  readonly review: ReviewMode;
  readonly recorder: ChangeRecorder;
  /** Results of `when` conditions, by rule: a rule is asked once per identity. */
  readonly conditions: Map<object, boolean>;
  /** The model's rules grouped by what each step looks up. */
  readonly rules: RuleIndex;
  /**
   * Per-identity memory of what does not change during one evaluation: identity expressions
   * (correlation keys, scalar values) and periods, which several steps or resource types ask for.
   */
  readonly memo: EvaluationMemo;
}

/** See `EvaluationContext.memo`. Keys are expressions or strings; values as computed. */
export interface EvaluationMemo {
  /** Correlation and query `source` results on the identity: keys, or the error thrown. */
  readonly identityKeys: Map<object, { readonly keys: string[] } | { readonly error: unknown }>;
  /** Scalar expression results that depend only on the identity and the period (no `unique`). */
  readonly scalarResults: Map<string, unknown>;
  /** `resourceTypePeriod`, by resource type id. */
  readonly typePeriods: Map<string, Period>;
}

export function newEvaluationMemo(): EvaluationMemo {
  return { identityKeys: new Map(), scalarResults: new Map(), typePeriods: new Map() };
}

/** Whether changes of this resource type wait in 5 Awaiting Approval. */
export function needsReview(ctx: EvaluationContext, resourceType: ResourceType): boolean {
  if (ctx.review === 'all') return true;
  if (ctx.review === 'none') return false;
  return resourceType.requireProvisioningReview;
}

export function describeError(error: unknown): string {
  if (error instanceof ExpressionError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * A rule's `when` over the identity. An expression that throws counts as "does not apply" and is
 * reported against the rule, so one bad identity never stops the others.
 */
export function ruleApplies(ctx: EvaluationContext, rule: { id: string; when: Expression | null }): boolean {
  if (rule.when === null) return true;
  const known = ctx.conditions.get(rule);
  if (known !== undefined) return known;
  let applies = false;
  try {
    applies = rule.when.evaluate(identityScope(ctx)) === true;
  } catch (error) {
    ctx.recorder.error(
      'EXPRESSION_FAILED',
      rule.id,
      `condition of rule ${rule.id} failed for ${ctx.identity.key}: ${describeError(error)}`,
    );
  }
  ctx.conditions.set(rule, applies);
  return applies;
}

export function identityScope(ctx: EvaluationContext): ExpressionVariables {
  return { identity: ctx.identityVariables, now: ctx.now };
}

/**
 * The keys an identity expression (a correlation or query rule's `source`) gives, evaluated once
 * per identity however many steps ask; a failure is remembered too and thrown again to each caller.
 */
export function identityKeys(ctx: EvaluationContext, source: Expression): string[] {
  let known = ctx.memo.identityKeys.get(source);
  if (!known) {
    try {
      known = { keys: keysOf(source.evaluate(identityScope(ctx))) };
    } catch (error) {
      known = { error };
    }
    ctx.memo.identityKeys.set(source, known);
  }
  if ('error' in known) throw known.error;
  return known.keys;
}
