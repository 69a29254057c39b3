import {
  type AssignedNavigation,
  type AssignedScalar,
  type AssignedSingleRole,
  type Assignment,
  assignmentIds,
} from '../../assignments.ts';
import type { Model } from '../../model.ts';
import type { StateChange } from '../../orders.ts';
import type { Resource } from '../../resources.ts';
import { ChangeRecorder, type EvaluationError } from './change-recorder.ts';
import { contextPeriod } from './context-period.ts';
import { deduceRoles } from './deduce-roles.ts';
import { type Denial, evaluateCompositeRoles, evaluateSingleRoles } from './evaluate-roles.ts';
import { type EvaluationContext, newEvaluationMemo, type ReviewMode } from './evaluation-context.ts';
import { expectedResourceTypes } from './expected-resource-types.ts';
import { resourceVariables } from './resource-variables.ts';
import { ruleIndex } from './rule-index.ts';
import { settleNested } from './settle-nested.ts';
import { settleResourceTypes } from './settle-resource-types.ts';
import type { TargetDirectory } from './target-directory.ts';

export interface EvaluateIdentityInput {
  readonly model: Model;
  /** ISO-8601 instant of this evaluation. */
  readonly now: string;
  readonly identity: Resource;
  /** This owner's stored assignments. */
  readonly existing: readonly Assignment[];
  readonly directory: TargetDirectory;
  /** Found items become 3 Pre-existing instead of 1 Non-conforming. */
  readonly firstSynchronization: boolean;
  readonly review: ReviewMode;
}

export interface EvaluateIdentityResult {
  /** The complete new set of this owner's assignments, by id; unchanged rows are the same objects. */
  readonly assignments: Assignment[];
  /** Ids of stored assignments to delete (the ledger keeps their history). */
  readonly removedIds: string[];
  readonly changes: StateChange[];
  /** Failures of rules for this owner; the rest of the evaluation went on. */
  readonly errors: EvaluationError[];
  /** Roles and resource types a denied rule forbids although something gives them. */
  readonly denials: Denial[];
}

const noNested: readonly (AssignedScalar | AssignedNavigation)[] = [];

export class EvaluationInputError extends Error {
  readonly code = 'EVALUATION_INVALID_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationInputError';
  }
}

/**
 * "Evaluate Policy" for one identity (reference spec §5.1): roles, resource types, navigations
 * and scalars expected by the role model, matched with the stored assignments and compared with
 * the synchronized targets. Pure and synchronous; every state change goes through the lifecycle
 * tables and is reported. Evaluating again with the result as `existing` changes nothing.
 */
export function evaluateIdentity(input: EvaluateIdentityInput): EvaluateIdentityResult {
  const { model, now, identity, directory } = input;
  if (Number.isNaN(Date.parse(now))) {
    throw new EvaluationInputError(`evaluateIdentity: "now" must be an ISO-8601 instant, got "${now}"`);
  }
  if (!model.entityTypes[identity.entityType]) {
    throw new EvaluationInputError(
      `evaluateIdentity: identity ${identity.id} has entity type "${identity.entityType}", which the configuration does not define`,
    );
  }
  const existing = new Map<string, Assignment>();
  const nestedByParent = new Map<string, (AssignedScalar | AssignedNavigation)[]>();
  for (const a of input.existing) {
    if (a.ownerId !== identity.id) {
      throw new EvaluationInputError(
        `evaluateIdentity: assignment ${a.id} belongs to ${a.ownerId}, not to ${identity.id}`,
      );
    }
    existing.set(a.id, a);
    if (a.kind !== 'scalar' && a.kind !== 'navigation') continue;
    const siblings = nestedByParent.get(a.assignedResourceTypeId);
    if (siblings) siblings.push(a);
    else nestedByParent.set(a.assignedResourceTypeId, [a]);
  }
  const recorder = new ChangeRecorder(identity.id);
  const ctx: EvaluationContext = {
    model,
    now,
    identity,
    identityVariables: resourceVariables(model, identity, (id) => directory.get(id)?.key),
    context: contextPeriod(model, identity),
    directory,
    existing,
    firstSynchronization: input.firstSynchronization,
    review: input.review,
    recorder,
    conditions: new Map(),
    rules: ruleIndex(model),
    memo: newEvaluationMemo(),
  };

  const composites = evaluateCompositeRoles(ctx);
  const singles = evaluateSingleRoles(ctx, composites);
  let expectation = expectedResourceTypes(ctx, singles.held);
  const deduced = deduceRoles(ctx, expectation, singles.held, composites.held);
  for (const d of deduced) {
    const subject = { id: assignmentIds.singleRole(identity.id, d.roleId), ownerId: identity.id };
    const event = ctx.firstSynchronization ? 'found_first_synchronization' : 'found';
    const state = recorder.workflow(subject, null, event, { ruleId: d.ruleId, message: d.message });
    if (state === null || state === undefined) continue;
    const row: AssignedSingleRole = {
      kind: 'single_role',
      ...subject,
      roleId: d.roleId,
      inferredFrom: null,
      workflowState: state,
      startDate: null,
      endDate: null,
      ruleId: null,
    };
    singles.rows.push(row);
    singles.held.add(d.roleId);
  }
  if (deduced.length > 0) expectation = expectedResourceTypes(ctx, singles.held);

  const resourceTypes = settleResourceTypes(ctx, expectation);
  const assignments: Assignment[] = [...composites.rows, ...singles.rows];
  const removedIds = [...composites.removedIds, ...singles.removedIds];
  const roles = { held: singles.held, cancelled: singles.cancelled };
  const parents = new Set<string>();
  for (const settled of resourceTypes.settled) {
    parents.add(settled.row.id);
    assignments.push(settled.row);
    const nested = settleNested(ctx, settled, roles, nestedByParent.get(settled.row.id) ?? noNested);
    for (const r of nested.rows) assignments.push(r);
    for (const id of nested.removedIds) removedIds.push(id);
  }
  for (const row of resourceTypes.removed) {
    parents.add(row.id);
    removedIds.push(row.id);
    for (const nested of nestedByParent.get(row.id) ?? []) {
      recorder.removed(nested, 'rule_lost', `${row.id} is removed`);
      removedIds.push(nested.id);
    }
  }
  for (const [parentId, rows] of nestedByParent) {
    if (parents.has(parentId)) continue;
    // Values whose assigned resource type is not stored: nothing can carry them.
    for (const r of rows) {
      recorder.removed(r, 'rule_lost', `its assigned resource type ${parentId} does not exist`);
      removedIds.push(r.id);
    }
  }
  // A stable order, whatever path each row took, so that results compare and diff simply.
  assignments.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    assignments,
    removedIds,
    changes: recorder.changes,
    errors: recorder.errors,
    denials: [...composites.denials, ...singles.denials, ...resourceTypes.denials],
  };
}
