import type { ProvisioningState } from '@ordo/core';
import type { Database } from './database.ts';
import { olderThan } from './newest-first.ts';

/** Filters of an order search; every given one applies (AND), lists match any of their values. */
export interface OrderSearch {
  readonly states?: readonly ProvisioningState[];
  readonly connectors?: readonly string[];
  readonly resourceTypeIds?: readonly string[];
  readonly ownerId?: string;
  /** Created at or after (ISO-8601). */
  readonly createdFrom?: string;
  /** Created before (ISO-8601). */
  readonly createdTo?: string;
  /** Keyset paging, newest first: only orders older than this one (creation time, then id). */
  readonly before?: { readonly createdAt: string; readonly id: string };
  readonly limit: number;
}

/**
 * Searches the order table for people (the Orders screen, the errors inbox, the review and manual
 * provisioning queues): newest first, keyset-paged on (created_at, id). Returns ids with their
 * creation time; `OrderStore.getDispatched` turns them into orders.
 */
export class OrderSearchStore {
  constructor(private readonly database: Database) {}

  async search(filter: OrderSearch): Promise<{ id: string; createdAt: string }[]> {
    if (filter.limit <= 0) return [];
    if (filter.states?.length === 0 || filter.connectors?.length === 0 || filter.resourceTypeIds?.length === 0) {
      return [];
    }
    let query = this.database.db.selectFrom('orders').select(['id', 'created_at']);
    if (filter.states) query = query.where('state', 'in', [...filter.states]);
    if (filter.connectors) query = query.where('connector', 'in', [...filter.connectors]);
    if (filter.resourceTypeIds) query = query.where('resource_type_id', 'in', [...filter.resourceTypeIds]);
    if (filter.ownerId !== undefined) query = query.where('owner_id', '=', filter.ownerId);
    if (filter.createdFrom !== undefined) query = query.where('created_at', '>=', filter.createdFrom);
    if (filter.createdTo !== undefined) query = query.where('created_at', '<', filter.createdTo);
    const before = filter.before;
    if (before) query = query.where(olderThan(before));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map((r) => ({ id: r.id, createdAt: r.created_at }));
  }
}
