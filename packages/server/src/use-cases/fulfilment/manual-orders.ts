import { type Cause, type Model, type ProvisioningOrder, ProvisioningState } from '@ordo/core';
import type { Clock } from '../../clock.ts';
import type { Stores } from '../../storage/stores.ts';
import { applyOrderMoves } from './apply-order-moves.ts';
import { manualResourceTypes } from './fulfilment-routes.ts';

type ManualDeps = { stores: Pick<Stores, 'orders' | 'transaction'>; clock: Clock };

/** Why a person's action on a manual order was refused; a stable code for the API. */
export class ManualOrderError extends Error {
  constructor(
    readonly code: 'ORDER_NOT_FOUND' | 'ORDER_NOT_MANUAL' | 'ORDER_TRANSITION_REFUSED',
    message: string,
  ) {
    super(message);
    this.name = 'ManualOrderError';
  }
}

/**
 * Puts due orders of manual resource types into the manual provisioning queue: 1 Pending →
 * 2 Transmitted, where a person sees the values to create, change or delete.
 * `onQueued` runs inside each batch's transaction with the orders queued (the notification
 * outbox enqueues its summary there, so the notice commits with the hand-off it announces).
 * @returns how many orders were queued.
 */
export async function handOffManualOrders(
  deps: ManualDeps,
  model: Model,
  cause: Cause,
  onQueued?: (tx: Stores, orders: readonly ProvisioningOrder[]) => Promise<void>,
): Promise<number> {
  const resourceTypeIds = manualResourceTypes(model);
  if (resourceTypeIds.length === 0) return 0;
  let queued = 0;
  for (;;) {
    const now = deps.clock.now();
    const batch = await deps.stores.transaction(async (tx) => {
      const due = await tx.orders.leaseCandidates({ resourceTypeIds, now, limit: 500, pendingOnly: true });
      const applied = await applyOrderMoves(
        tx,
        due.map(({ order }) => ({
          order,
          expected: { from: ProvisioningState.Pending },
          to: ProvisioningState.Transmitted,
          events: ['handed_off'],
          change: { transmittedAt: now, attempts: 1 },
          message: 'queued for manual provisioning',
        })),
        { cause, now },
      );
      const queuedOrders = due.filter((_, i) => applied[i]).map(({ order }) => order);
      if (onQueued && queuedOrders.length > 0) await onQueued(tx, queuedOrders);
      return { found: due.length, applied: queuedOrders.length };
    });
    queued += batch.applied;
    if (batch.found < 500) return queued;
  }
}

/**
 * A person confirms that they did what a manual order asks: 8 Executed, for synchronization to
 * verify, or 4 Verified at once when the resource type says its system is never synchronized.
 */
export async function confirmManualOrder(
  deps: ManualDeps,
  model: Model,
  orderId: string,
  by: Cause,
): Promise<ProvisioningOrder> {
  const order = await manualOrder(deps, model, orderId);
  const now = deps.clock.now();
  const unsynchronized = model.resourceTypes[order.resourceTypeId]?.fulfil.noSynchronization === true;
  const [ok] = await applyOrderMoves(
    deps.stores,
    [
      {
        order,
        expected: { from: ProvisioningState.Transmitted },
        to: unsynchronized ? ProvisioningState.Verified : ProvisioningState.Executed,
        events: [unsynchronized ? 'manual_confirmed_unsynchronized' : 'manual_confirmed'],
        change: { executedAt: now, ...(unsynchronized ? { finishedAt: now } : {}) },
        message: `confirmed by ${by.id}`,
      },
    ],
    { cause: by, now },
  );
  if (!ok) throw refused(order, 'confirm');
  return (await deps.stores.orders.get(orderId)) ?? order;
}

/** A person reports that a manual order cannot be done: 3 Errored with their message. */
export async function reportManualError(
  deps: ManualDeps,
  model: Model,
  orderId: string,
  message: string,
  by: Cause,
): Promise<ProvisioningOrder> {
  const order = await manualOrder(deps, model, orderId);
  const now = deps.clock.now();
  const text = `reported by ${by.id}: ${message.trim() || '(no message)'}`;
  const [ok] = await applyOrderMoves(
    deps.stores,
    [
      {
        order,
        expected: { from: ProvisioningState.Transmitted },
        to: ProvisioningState.Errored,
        events: ['manual_error_reported'],
        change: { finishedAt: now, lastError: { message: text, kind: 'manual', applied: 'no', retryable: false } },
        message: text,
      },
    ],
    { cause: by, now },
  );
  if (!ok) throw refused(order, 'report an error on');
  return (await deps.stores.orders.get(orderId)) ?? order;
}

async function manualOrder(deps: ManualDeps, model: Model, orderId: string): Promise<ProvisioningOrder> {
  const order = await deps.stores.orders.get(orderId);
  if (!order) throw new ManualOrderError('ORDER_NOT_FOUND', `order ${orderId} does not exist`);
  if (!manualResourceTypes(model).includes(order.resourceTypeId)) {
    throw new ManualOrderError('ORDER_NOT_MANUAL', `order ${orderId} is fulfilled by an agent, not by a person`);
  }
  return order;
}

function refused(order: ProvisioningOrder, action: string): ManualOrderError {
  return new ManualOrderError(
    'ORDER_TRANSITION_REFUSED',
    `cannot ${action} order ${order.id}: it is in state ${order.state}, not 2 Transmitted`,
  );
}
