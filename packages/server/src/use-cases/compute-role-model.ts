import {
  type Assignment,
  type Cause,
  certainCorrelationClaims,
  type EvaluateIdentityResult as EvaluationResult,
  evaluateIdentity,
  type LedgerEntry,
  type Model,
  type Resource,
  type StateChange,
} from '@ordo/core';
import type { Clock } from '../clock.ts';
import type { Stores } from '../storage/stores.ts';
import { type ComputeContext, targetEntityTypes } from './compute-context.ts';
import { writeComputedBatch } from './write-computed-batch.ts';

export type ComputeScope =
  | { readonly kind: 'complete' }
  | { readonly kind: 'dirty' }
  | { readonly kind: 'identities'; readonly ids: readonly string[] };

export interface ComputeOptions {
  readonly scope: ComputeScope;
  readonly cause: Cause;
  /** Job switch: 'all' holds every new order for review, 'none' bypasses review (scenario 41). */
  readonly review?: 'per_resource_type' | 'all' | 'none';
  readonly batchSize?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ComputeSummary {
  /** Identities computed, including those whose evaluation failed as a whole (listed in errors). */
  readonly identities: number;
  readonly assignmentsWritten: number;
  readonly assignmentsRemoved: number;
  readonly stateChanges: number;
  readonly errors: readonly { readonly ownerId: string; readonly ruleId: string; readonly message: string }[];
}

/**
 * Compute the role model for a set of identities: evaluate each (pure engine), then write only
 * what changed, and the ledger entries, one transaction per batch. A complete run touches every
 * identity; a dirty run only those flagged by a synchronization, a request or a config change.
 */
export async function computeRoleModel(
  deps: { stores: Pick<Stores, 'resources' | 'assignments' | 'ledger' | 'transaction'>; clock: Clock },
  context: ComputeContext,
  options: ComputeOptions,
): Promise<ComputeSummary> {
  const now = deps.clock.now();
  const batchSize = options.batchSize ?? 500;
  const summary = { identities: 0, assignmentsWritten: 0, assignmentsRemoved: 0, stateChanges: 0 };
  const errors: { ownerId: string; ruleId: string; message: string }[] = [];

  // One batch is written while the next is read and evaluated; never more than one in flight.
  // (A writer in a worker thread was measured slower on SQLite and PostgreSQL: copying millions of
  // rows between threads cost more than the overlap gained.)
  let writing: Promise<void> = Promise.resolve();
  try {
    for await (const batch of evaluateBatches(deps.stores, context, options.scope, {
      now,
      batchSize,
      review: options.review ?? 'per_resource_type',
    })) {
      const upserts: Assignment[] = [];
      const deletes: string[] = [];
      const ledger: Omit<LedgerEntry, 'id'>[] = [];
      for (const { identity, existing, result } of batch.evaluations) {
        upserts.push(...changedAssignments(existing, result.assignments));
        deletes.push(...result.removedIds);
        for (const change of result.changes) ledger.push(toLedgerEntry(change, options.cause, now));
        for (const e of result.errors) errors.push({ ownerId: identity.id, ...e });
      }
      for (const f of batch.failures) errors.push({ ownerId: f.ownerId, ruleId: '(engine)', message: f.message });
      await writing;
      writing = writeComputedBatch(deps.stores, {
        upserts,
        deletes,
        ledger,
        clean: batch.evaluations.map((e) => e.identity.id),
      });
      // Handled at the next `await writing`; this only keeps a failure meanwhile from counting as unhandled.
      writing.catch(() => {});
      summary.identities += batch.evaluations.length + batch.failures.length;
      summary.assignmentsWritten += upserts.length;
      summary.assignmentsRemoved += deletes.length;
      summary.stateChanges += ledger.length;
      options.onProgress?.(summary.identities, batch.total);
    }
  } finally {
    // Whatever happened, the batch in flight finishes (or fails) before we return.
    await writing;
  }
  return { ...summary, errors };
}

function toLedgerEntry(change: StateChange, cause: Cause, at: string): Omit<LedgerEntry, 'id'> {
  // Field by field rather than a spread: millions of entries in a complete run.
  return {
    assignmentId: change.assignmentId,
    ownerId: change.ownerId,
    stateKind: change.stateKind,
    from: change.from,
    to: change.to,
    event: change.event,
    ruleId: change.ruleId,
    expressionResult: change.expressionResult,
    message: change.message,
    orderId: null,
    cause,
    at,
  };
}

/** Only rows that differ from what is stored are written: most identities change nothing. */
function changedAssignments(existing: readonly Assignment[], next: readonly Assignment[]): Assignment[] {
  const before = new Map(existing.map((a) => [a.id, a]));
  return next.filter((a) => {
    const old = before.get(a.id);
    // The engine hands back unchanged rows as the very objects it was given.
    return old !== a && (!old || !sameAssignment(old, a));
  });
}

function sameAssignment(a: Assignment, b: Assignment): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if ((a as unknown as Record<string, unknown>)[key] !== (b as unknown as Record<string, unknown>)[key]) return false;
  }
  return true;
}

/** Source entity types: those that own resource types or hold roles. */
export function sourceEntityTypes(model: Model): string[] {
  const types = new Set<string>();
  for (const rt of Object.values(model.resourceTypes)) types.add(rt.sourceEntityType);
  for (const role of Object.values(model.singleRoles)) types.add(role.entityType);
  for (const role of Object.values(model.compositeRoles)) types.add(role.entityType);
  return [...types].sort();
}

export interface IdentityEvaluation {
  readonly identity: Resource;
  readonly existing: readonly Assignment[];
  readonly result: EvaluationResult;
}

/**
 * Evaluates identities batch by batch (pure engine over preloaded data); the caller decides what
 * to do with the results: write them (compute) or only count them (plan).
 */
export async function* evaluateBatches(
  stores: Pick<Stores, 'resources' | 'assignments'>,
  context: ComputeContext,
  scope: ComputeScope,
  options: { now: string; batchSize: number; review: 'per_resource_type' | 'all' | 'none' },
): AsyncGenerator<{
  evaluations: IdentityEvaluation[];
  failures: { ownerId: string; message: string }[];
  total: number;
}> {
  if (scope.kind === 'complete') {
    // A complete run reads every target afresh, which answers their change flags.
    context.invalidate();
    await stores.resources.clearDirty(await stores.resources.listDirtyIds(targetEntityTypes(context.model)));
  }
  await context.refresh();
  if (scope.kind === 'complete') await claimCertainCorrelations(stores, context);
  for await (const { identities, total } of identityBatches(stores, context, scope, options.batchSize)) {
    const existingByOwner = await stores.assignments.loadByOwners(identities.map((i) => i.id));
    const evaluations: IdentityEvaluation[] = [];
    const failures: { ownerId: string; message: string }[] = [];
    for (const identity of identities) {
      const existing = existingByOwner.get(identity.id) ?? [];
      try {
        const result = evaluateIdentity({
          model: context.model,
          now: options.now,
          identity,
          existing,
          directory: context.directory,
          firstSynchronization: context.firstSynchronization,
          review: options.review,
        });
        context.recordOwnership(identity.id, result.assignments);
        evaluations.push({ identity, existing, result });
      } catch (error) {
        // Expressions failing for one person are 7 Error inside the result; this is the engine
        // refusing its input (or a bug). That person keeps what is stored and stays dirty, so the
        // next run retries them; everyone else goes on.
        failures.push({ ownerId: identity.id, message: error instanceof Error ? error.message : String(error) });
      }
    }
    yield { evaluations, failures, total };
  }
}

/** See `certainCorrelationClaims`: certain matches are known before anyone is evaluated. */
async function claimCertainCorrelations(stores: Pick<Stores, 'resources'>, context: ComputeContext): Promise<void> {
  if (!context.model.rules.correlations.some((rule) => rule.confidence >= 100)) return;
  for await (const { identities } of identityBatches(stores, context, { kind: 'complete' }, 2000)) {
    for (const identity of identities) {
      for (const targetId of certainCorrelationClaims(context.model, identity, context.directory)) {
        context.directory.setOwner(targetId, identity.id);
      }
    }
  }
}

async function* identityBatches(
  stores: Pick<Stores, 'resources'>,
  context: ComputeContext,
  scope: ComputeScope,
  batchSize: number,
): AsyncGenerator<{ identities: Resource[]; total: number }> {
  if (scope.kind !== 'complete') {
    const ids = scope.kind === 'identities' ? [...scope.ids] : await dirtyIdentityIds(stores, context);
    for (let i = 0; i < ids.length; i += batchSize) {
      yield { identities: await stores.resources.getMany(ids.slice(i, i + batchSize)), total: ids.length };
    }
    return;
  }
  for (const entityType of sourceEntityTypes(context.model)) {
    const total = await stores.resources.count(entityType);
    let afterId: string | undefined;
    for (;;) {
      const page = await stores.resources.listByEntityType(entityType, { afterId, limit: batchSize });
      if (page.length === 0) break;
      yield { identities: page, total };
      afterId = page[page.length - 1]?.id;
    }
  }
}

/**
 * Identities an incremental run must compute: those changed themselves, and the owners of changed
 * targets (an account edited in its system may now be non-conforming, or verified). Changed
 * targets are reloaded into the directory first, and their flags cleared once read.
 */
async function dirtyIdentityIds(stores: Pick<Stores, 'resources'>, context: ComputeContext): Promise<string[]> {
  const ids = new Set(await stores.resources.listDirtyIds(sourceEntityTypes(context.model)));
  const changedTargets = await stores.resources.listDirtyIds(targetEntityTypes(context.model));
  if (changedTargets.length > 0) {
    context.invalidate();
    await context.refresh();
    for (const targetId of changedTargets) {
      const owner = context.directory.ownerOf(targetId);
      if (owner) ids.add(owner);
    }
    await stores.resources.clearDirty(changedTargets);
  }
  return [...ids].sort();
}
