import type { Model } from '@ordo/core';
import type { Clock } from '../../clock.ts';
import type { Stores } from '../../storage/stores.ts';
import { actOnErroredOrders, afterRetry, type ErroredActionResult } from '../orders/errored-order-actions.ts';
import { resourceTypesOfSource } from '../orders/source-resource-types.ts';
import { UseCaseError } from '../use-case-error.ts';

export type UnblockDeps = {
  stores: Pick<Stores, 'orders' | 'transaction'>;
  clock: Clock;
  signal: { notify(): void };
  pipeline: { request(): Promise<void> };
};

/**
 * Unblocks errored orders from Provisioning Review (reference spec §3.5 B/E, DESIGN.md §2
 * decision 8): 3 Errored → 1 Pending, audited, then agents are woken and manual orders queued
 * again. Only orders of `entityType`'s resource types are touched; others count as not found.
 * Bulk answers per item (see `actOnErroredOrders`); a single unblock answers 404 or 409.
 */
export async function unblockReviewOrders(
  deps: UnblockDeps,
  model: Model,
  entityType: string,
  orderIds: readonly string[],
  actor: string,
  mode: 'single' | 'bulk',
): Promise<ErroredActionResult> {
  const types = new Set(resourceTypesOfSource(model, entityType));
  const result = await actOnErroredOrders(deps, 'retry', orderIds, actor, (o) => types.has(o.resourceTypeId));
  if (mode === 'single') {
    const [skipped] = result.skipped;
    if (skipped?.reason === 'not_found') {
      throw new UseCaseError('not_found', 'ORDER_NOT_FOUND', `${entityType} has no order ${skipped.orderId}`);
    }
    if (skipped) {
      throw new UseCaseError('conflict', 'ORDER_NOT_ERRORED', `order ${skipped.orderId} is not in 3 Errored`);
    }
  }
  await afterRetry(deps, result.applied);
  return result;
}
