import { type Cause, type Model, ProvisioningState } from '@ordo/core';
import type { Clock } from '../../clock.ts';
import type { Stores } from '../../storage/stores.ts';
import { manualResourceTypes } from '../fulfilment/fulfilment-routes.ts';
import { confirmManualOrder, ManualOrderError, reportManualError } from '../fulfilment/manual-orders.ts';
import { type OrderPage, searchOrders } from '../orders/search-orders.ts';
import { resourceTypesOfSource } from '../orders/source-resource-types.ts';
import { UseCaseError } from '../use-case-error.ts';

/** Manual resource types whose owners are of `entityType` (404 for an unknown entity type). */
function manualTypesOf(model: Model, entityType: string): string[] {
  const manual = new Set(manualResourceTypes(model));
  return resourceTypesOfSource(model, entityType).filter((id) => manual.has(id));
}

/**
 * The Manual Provisioning screen of one source entity type (reference spec §7): orders in
 * 2 Transmitted on manual connections, newest first, each with what to create, change or delete
 * (change type, target key, scalars, links to add and remove) and its owner.
 */
export async function listManualOrders(
  deps: { stores: Pick<Stores, 'orders' | 'orderSearch' | 'resources'> },
  model: Model,
  entityType: string,
  page: { cursor?: string; limit: number },
): Promise<OrderPage> {
  return searchOrders(deps, {
    states: [ProvisioningState.Transmitted],
    resourceTypeIds: manualTypesOf(model, entityType),
    ...page,
  });
}

export type ManualAction = { kind: 'confirm' } | { kind: 'error'; message: string };

type PerformDeps = { stores: Pick<Stores, 'orders' | 'transaction'>; clock: Clock };

/**
 * A person confirms manual orders (→ 8 Executed, or 4 Verified when the system is never
 * synchronized) or reports that they could not be done (→ 3 Errored), one or many at once.
 *
 * Bulk is all-or-nothing: every id is checked first (it must be a 2 Transmitted order of a manual
 * resource type of this entity type), then all orders move in one transaction with their audit
 * records; if another person acted on one of them meanwhile, nothing changes and the answer is
 * 409. A person confirms what they did as one batch in the managed system, so a half-recorded
 * batch would be harder to reason about than a refused one that can be sent again.
 */
export async function performManualOrders(
  deps: PerformDeps,
  model: Model,
  entityType: string,
  orderIds: readonly string[],
  action: ManualAction,
  actor: string,
): Promise<{ orderId: string; state: ProvisioningState }[]> {
  const ids = [...new Set(orderIds)];
  const types = new Set(manualTypesOf(model, entityType));
  const found = new Map((await deps.stores.orders.getDispatched(ids)).map((d) => [d.order.id, d.order]));
  const missing = ids.filter((id) => {
    const order = found.get(id);
    return !order || !types.has(order.resourceTypeId);
  });
  if (missing.length > 0) {
    throw new UseCaseError(
      'not_found',
      'ORDER_NOT_FOUND',
      `no manual ${entityType} order ${missing.join(', ')} (it does not exist or belongs to another screen)`,
      { errors: missing.map((id) => ({ path: `orderIds.${ids.indexOf(id)}`, message: `${id} is not found` })) },
    );
  }
  const notTransmitted = ids.filter((id) => found.get(id)?.state !== ProvisioningState.Transmitted);
  if (notTransmitted.length > 0) throw notTransmittedError(notTransmitted, ids, found);

  const cause: Cause = { kind: 'user', id: actor };
  return deps.stores.transaction(async (tx) => {
    const txDeps = { stores: tx, clock: deps.clock };
    const results: { orderId: string; state: ProvisioningState }[] = [];
    for (const id of ids) {
      try {
        const after =
          action.kind === 'confirm'
            ? await confirmManualOrder(txDeps, model, id, cause)
            : await reportManualError(txDeps, model, id, action.message, cause);
        results.push({ orderId: id, state: after.state });
      } catch (error) {
        if (error instanceof ManualOrderError) {
          // Another person (or the watchdog) moved it since the check: nothing of the batch stays.
          throw new UseCaseError(
            'conflict',
            'ORDER_ALREADY_HANDLED',
            `order ${id} was handled meanwhile: ${error.message}`,
          );
        }
        throw error;
      }
    }
    const now = deps.clock.now();
    await tx.audit.record(
      ...results.map((r) => ({
        at: now,
        actor,
        action: action.kind === 'confirm' ? 'manual_order.confirmed' : 'manual_order.error_reported',
        targetKind: 'order',
        targetId: r.orderId,
        before: { state: ProvisioningState.Transmitted },
        after: { state: r.state },
        ...(action.kind === 'error' ? { detail: action.message } : {}),
      })),
    );
    return results;
  });
}

function notTransmittedError(
  ids: readonly string[],
  all: readonly string[],
  found: ReadonlyMap<string, { state: ProvisioningState }>,
): UseCaseError {
  return new UseCaseError(
    'conflict',
    'ORDER_NOT_TRANSMITTED',
    `only orders in 2 Transmitted can be confirmed or reported: ${ids
      .map((id) => `${id} is in state ${found.get(id)?.state}`)
      .join(', ')}`,
    { errors: ids.map((id) => ({ path: `orderIds.${all.indexOf(id)}`, message: `state ${found.get(id)?.state}` })) },
  );
}
