import {
  type ChangeType,
  checkThresholds,
  countOrders,
  deriveOrders,
  type Model,
  type ThresholdVerdict,
} from '@ordo/core';
import type { Clock } from '../clock.ts';
import type { Stores } from '../storage/stores.ts';
import { ComputeContext } from './compute-context.ts';
import { evaluateBatches } from './compute-role-model.ts';

export interface ConfigurationPlan {
  readonly identities: number;
  /** Orders the new configuration would generate, per resource type and change type. */
  readonly orders: Readonly<Record<string, Readonly<Record<ChangeType, number>>>>;
  /** Assignments that would wait for provisioning review (5 Awaiting Approval). */
  readonly awaitingApproval: number;
  /** Identities for which an expression fails (they would get 7 Error). */
  readonly errors: readonly { readonly ownerId: string; readonly ruleId: string; readonly message: string }[];
  readonly blocked: boolean;
  readonly verdicts: readonly ThresholdVerdict[];
}

/**
 * What applying `model` would do, computed over the stored data and written nowhere: every
 * identity is evaluated with the new role model in memory, its orders derived and counted, and
 * the thresholds judged as the next generation run would.
 */
export async function planConfiguration(
  deps: { stores: Pick<Stores, 'resources' | 'assignments'>; clock: Clock },
  model: Model,
): Promise<ConfigurationPlan> {
  const now = deps.clock.now();
  const context = ComputeContext.create(model, deps.stores);
  const orders: Record<string, Record<ChangeType, number>> = {};
  const errors: { ownerId: string; ruleId: string; message: string }[] = [];
  let identities = 0;
  let awaitingApproval = 0;
  for await (const batch of evaluateBatches(
    deps.stores,
    context,
    { kind: 'complete' },
    {
      now,
      batchSize: 1000,
      review: 'per_resource_type',
    },
  )) {
    const assignments = batch.evaluations.flatMap((e) => e.result.assignments);
    const resources = new Map(batch.evaluations.map((e) => [e.identity.id, e.identity]));
    const derived = deriveOrders({
      model,
      now,
      runId: 'plan',
      assignments,
      resolve: { resource: (id) => resources.get(id) ?? context.directory.get(id) },
      newOrderId: () => 'plan',
    });
    for (const [resourceTypeId, counts] of Object.entries(countOrders(derived.orders))) {
      const total = (orders[resourceTypeId] ??= { added: 0, modified: 0, deleted: 0 });
      for (const change of ['added', 'modified', 'deleted'] as const) total[change] += counts[change];
    }
    for (const f of batch.failures) {
      identities += 1;
      errors.push({ ownerId: f.ownerId, ruleId: '(engine)', message: f.message });
    }
    for (const e of batch.evaluations) {
      identities += 1;
      for (const error of e.result.errors) errors.push({ ownerId: e.identity.id, ...error });
      for (const a of e.result.assignments)
        if ('provisioningState' in a && a.provisioningState === 5) awaitingApproval += 1;
    }
  }
  const population = await deps.stores.assignments.countTargetsByResourceType();
  const thresholds = checkThresholds(model, orders, population);
  return { identities, orders, awaitingApproval, errors, blocked: thresholds.blocked, verdicts: thresholds.verdicts };
}
