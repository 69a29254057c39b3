import type { LedgerEntry, ProvisioningOrder, Resource } from '@ordo/core';
import type { Stores } from '../storage/stores.ts';

export interface OrderTimeline {
  readonly order: ProvisioningOrder;
  readonly owner: Resource | undefined;
  /**
   * Every ledger entry of the order's assignments, oldest first: how each value came to be
   * computed (rule, expression result), reviewed, ordered, sent and verified.
   */
  readonly entries: readonly LedgerEntry[];
}

export class OrderNotFoundError extends Error {
  readonly code = 'ORDER_NOT_FOUND';
  constructor(id: string) {
    super(`order ${id} does not exist (list them with \`ordo orders list\`)`);
    this.name = 'OrderNotFoundError';
  }
}

export async function orderTimeline(
  deps: { stores: Pick<Stores, 'orders' | 'ledger' | 'resources'> },
  orderId: string,
): Promise<OrderTimeline> {
  const order = await deps.stores.orders.get(orderId);
  if (!order) throw new OrderNotFoundError(orderId);
  const byId = new Map<number, LedgerEntry>();
  for (const entry of await deps.stores.ledger.byOrder(orderId)) byId.set(entry.id, entry);
  for (const assignmentId of order.assignmentIds) {
    for (const entry of await deps.stores.ledger.byAssignment(assignmentId)) byId.set(entry.id, entry);
  }
  const entries = [...byId.values()].sort((a, b) => a.id - b.id);
  return { order, owner: await deps.stores.resources.get(order.ownerId), entries };
}
