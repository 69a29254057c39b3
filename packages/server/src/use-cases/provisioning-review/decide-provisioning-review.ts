import {
  type Cause,
  type LedgerEntry,
  type Model,
  type ProvisionedAssignment,
  type ProvisioningEvent,
  type ProvisioningState,
  provisioningTransition,
} from '@ordo/core';
import type { Clock } from '../../clock.ts';
import type { Stores } from '../../storage/stores.ts';
import { resourceTypesOfSource } from '../orders/source-resource-types.ts';
import { UseCaseError } from '../use-case-error.ts';
import { reviewKindOf } from './list-provisioning-review.ts';

export type PropertyDecision = 'approve' | 'decline' | 'postpone';

export interface ReviewDecisionInput {
  readonly entityType: string;
  readonly assignedResourceTypeId: string;
  /**
   * `confirm`: the resource itself (its creation, association or deletion) is approved, and each
   * pending value takes its decision (approve when none is given). `ignore`: everything pending
   * is declined.
   */
  readonly outcome: 'confirm' | 'ignore';
  readonly properties: readonly { readonly assignmentId: string; readonly decision: PropertyDecision }[];
  /**
   * What `confirm` does with the pending values not listed: approve them (the resource view, where
   * the reviewer saw every value) or postpone them (the property view, where one line is decided
   * and values the reviewer has not seen must not slip through).
   */
  readonly unlisted?: 'approve' | 'postpone';
  readonly comment?: string;
  readonly actor: string;
}

export interface ReviewDecisionResult {
  readonly assignedResourceTypeId: string;
  readonly decided: { assignmentId: string; decision: PropertyDecision; provisioningState: ProvisioningState }[];
}

export type DecideDeps = {
  stores: Pick<Stores, 'assignments' | 'transaction'>;
  clock: Clock;
  pipeline: { request(): Promise<void> };
};

const eventOf: Readonly<Record<PropertyDecision, ProvisioningEvent>> = {
  approve: 'review_approved',
  decline: 'review_declined',
  postpone: 'review_postponed',
};

/**
 * One reviewer's decision on one resource of Provisioning Review (reference spec §6, §3.5 B;
 * DESIGN.md §2 decision 7), in one transaction: every item still in 5 Awaiting Approval takes
 * approve (→ 1 Pending), decline (→ 0 None, marked declined so the computation does not propose
 * the same value again until it changes) or postpone (stays 5), each as a compare-and-set on
 * state 5. If another reviewer decided any of them first, nothing changes: 409
 * REVIEW_ALREADY_DECIDED. The owner is then recomputed, which generates the approved orders.
 */
export async function decideProvisioningReview(
  deps: DecideDeps,
  model: Model,
  input: ReviewDecisionInput,
): Promise<ReviewDecisionResult> {
  const resourceTypeIds = new Set(resourceTypesOfSource(model, input.entityType));
  const head = await deps.stores.assignments.get(input.assignedResourceTypeId);
  if (head?.kind !== 'resource_type' || !resourceTypeIds.has(head.resourceTypeId)) {
    throw new UseCaseError(
      'not_found',
      'REVIEW_ITEM_NOT_FOUND',
      `${input.entityType} has no assigned resource type ${input.assignedResourceTypeId}`,
    );
  }
  const requested = new Map<string, PropertyDecision>();
  const duplicates: { path: string; message: string }[] = [];
  input.properties.forEach((p, i) => {
    if (requested.has(p.assignmentId))
      duplicates.push({ path: `properties.${i}.assignmentId`, message: 'given twice' });
    requested.set(p.assignmentId, p.decision);
    if (input.outcome === 'ignore' && p.decision !== 'decline') {
      duplicates.push({ path: `properties.${i}.decision`, message: 'ignore declines everything: only "decline" fits' });
    }
  });
  if (duplicates.length > 0) {
    throw new UseCaseError('invalid', 'REVIEW_DECISION_INVALID', 'the decision is not consistent', {
      errors: duplicates,
    });
  }

  const cause: Cause = { kind: 'user', id: input.actor };
  const result = await deps.stores.transaction(async (tx) => {
    const now = deps.clock.now();
    const awaitingIds = await tx.provisioningReview.awaitingIdsOfGroups([head.id]);
    const rows = await tx.assignments.getProvisioned(awaitingIds);
    if (rows.length === 0) throw alreadyDecided(head.id);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const unknown = [...requested.keys()].filter((id) => !byId.has(id) || id === head.id);
    if (unknown.length > 0) {
      // A value of this resource that is no longer pending was decided by someone else; any other
      // id is not part of this resource at all.
      const ofThisResource = unknown.filter((id) => id.startsWith(`${head.id}/`));
      if (ofThisResource.length > 0) throw alreadyDecided(head.id);
      throw new UseCaseError('invalid', 'REVIEW_DECISION_INVALID', 'some decisions name values of another resource', {
        errors: unknown.map((id) => ({
          path: `properties.${input.properties.findIndex((p) => p.assignmentId === id)}.assignmentId`,
          message: `${id} is not a pending value of ${head.id}`,
        })),
      });
    }

    const decided: ReviewDecisionResult['decided'] = [];
    const ledger: Omit<LedgerEntry, 'id'>[] = [];
    for (const row of rows) {
      const decision: PropertyDecision =
        input.outcome === 'ignore'
          ? 'decline'
          : row.id === head.id
            ? 'approve'
            : (requested.get(row.id) ?? input.unlisted ?? 'approve');
      const event = eventOf[decision];
      const move = provisioningTransition(row.provisioningState, event);
      if (!move.ok || move.state === null) throw alreadyDecided(head.id);
      const won = await tx.provisioningReview.decide(row.kind, row.id, move.state, decision === 'decline');
      if (!won) throw alreadyDecided(head.id);
      decided.push({ assignmentId: row.id, decision, provisioningState: move.state });
      ledger.push(ledgerLine(row, move.state, event, input, cause, now));
    }
    await tx.ledger.append(ledger);
    const changed = decided.some((d) => d.decision !== 'postpone');
    // The owner's computation turns approved values into orders and settles declined ones.
    if (changed) await tx.resources.markDirty([head.ownerId]);
    await tx.audit.record({
      at: now,
      actor: input.actor,
      action: 'provisioning_review.decided',
      targetKind: 'assigned_resource_type',
      targetId: head.id,
      before: {
        kind: reviewKindOf(head),
        items: rows.map((r) => ({ assignmentId: r.id, provisioningState: r.provisioningState })),
      },
      after: { outcome: input.outcome, items: decided },
      ...(input.comment ? { detail: input.comment } : {}),
    });
    return { decided, changed };
  });
  if (result.changed) await deps.pipeline.request();
  return { assignedResourceTypeId: head.id, decided: result.decided };
}

function ledgerLine(
  row: ProvisionedAssignment,
  to: ProvisioningState,
  event: ProvisioningEvent,
  input: ReviewDecisionInput,
  cause: Cause,
  at: string,
): Omit<LedgerEntry, 'id'> {
  const verb = { review_approved: 'approved', review_declined: 'declined', review_postponed: 'postponed' }[
    event as 'review_approved'
  ];
  return {
    assignmentId: row.id,
    ownerId: row.ownerId,
    stateKind: 'provisioning',
    from: row.provisioningState,
    to,
    event,
    ruleId: null,
    expressionResult: null,
    message: `${verb} in provisioning review by ${input.actor}${input.comment ? `: ${input.comment}` : ''}`,
    orderId: null,
    cause,
    at,
  };
}

function alreadyDecided(id: string): UseCaseError {
  return new UseCaseError(
    'conflict',
    'REVIEW_ALREADY_DECIDED',
    `${id} has nothing awaiting approval any more: another reviewer decided it (reload the list)`,
  );
}
