import type { ChangeType, LinkRef, ProvisioningOrder, ProvisioningState, ScalarValue } from '@ordo/core';
import { type BulkRow, type BulkTable, bulkInsert } from './bulk-write.ts';
import type { Database } from './database.ts';
import { asOneOf, asProvisioningState, fromJson, toJson, toNumber } from './row-codec.ts';
import type { OrdersTable } from './schema.ts';

/** Orders of one generation run for one resource type and change type (threshold input). */
export interface OrderCount {
  readonly resourceTypeId: string;
  readonly changeType: ChangeType;
  readonly count: number;
}

export interface OrderFilter {
  readonly state?: ProvisioningState;
  readonly connector?: string;
  readonly ownerId?: string;
  readonly limit: number;
  /** Keyset paging: the last id of the previous page. */
  readonly afterId?: string;
}

const changeTypes: readonly ChangeType[] = ['added', 'modified', 'deleted'];

/** Provisioning orders. */
export class OrderStore {
  constructor(private readonly database: Database) {}

  /** Inserts new orders in one transaction; an id that already exists fails the whole call. */
  async insertMany(orders: readonly ProvisioningOrder[]): Promise<void> {
    if (orders.length === 0) return;
    await bulkInsert(this.database, ordersTable, orders.map(toRow));
  }

  async get(id: string): Promise<ProvisioningOrder | undefined> {
    const row = await this.database.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  /** One page of orders matching every given filter, in id order. */
  async list(filter: OrderFilter): Promise<ProvisioningOrder[]> {
    let query = this.database.db.selectFrom('orders').selectAll();
    if (filter.state !== undefined) query = query.where('state', '=', filter.state);
    if (filter.connector !== undefined) query = query.where('connector', '=', filter.connector);
    if (filter.ownerId !== undefined) query = query.where('owner_id', '=', filter.ownerId);
    if (filter.afterId !== undefined) query = query.where('id', '>', filter.afterId);
    const rows = await query.orderBy('id').limit(filter.limit).execute();
    return rows.map(fromRow);
  }

  /**
   * Compare-and-set: moves the order to `to` only if it is in `from`, in one statement, so two
   * servers or agents racing for the same order cannot both win.
   * @returns false when the order does not exist or is no longer in `from`.
   */
  async updateState(id: string, from: ProvisioningState, to: ProvisioningState): Promise<boolean> {
    const result = await this.database.db
      .updateTable('orders')
      .set({ state: to })
      .where('id', '=', id)
      .where('state', '=', from)
      .executeTakeFirst();
    return toNumber(result.numUpdatedRows) === 1;
  }

  /** Orders of a run per resource type and change type, sorted by both. */
  async countByResourceTypeAndChange(runId: string): Promise<OrderCount[]> {
    const rows = await this.database.db
      .selectFrom('orders')
      .select(['resource_type_id', 'change_type', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('run_id', '=', runId)
      .groupBy(['resource_type_id', 'change_type'])
      .orderBy('resource_type_id')
      .orderBy('change_type')
      .execute();
    return rows.map((r) => ({
      resourceTypeId: r.resource_type_id,
      changeType: asOneOf(r.change_type, changeTypes, `orders count of run ${runId}, column change_type`),
      count: toNumber(r.n),
    }));
  }
}

const ordersTable: BulkTable = {
  name: 'orders',
  columns: [
    { name: 'id', type: 'text' },
    { name: 'assigned_resource_type_id', type: 'text' },
    { name: 'resource_type_id', type: 'text' },
    { name: 'connector', type: 'text' },
    { name: 'owner_id', type: 'text' },
    { name: 'target_resource_id', type: 'text' },
    { name: 'target_key', type: 'text' },
    { name: 'change_type', type: 'text' },
    { name: 'scalars', type: 'text' },
    { name: 'added_links', type: 'text' },
    { name: 'removed_links', type: 'text' },
    { name: 'assignment_ids', type: 'text' },
    { name: 'state', type: 'integer' },
    { name: 'not_before', type: 'text' },
    { name: 'created_at', type: 'text' },
    { name: 'run_id', type: 'text' },
  ],
};

/** In `ordersTable`'s column order. */
function toRow(o: ProvisioningOrder): BulkRow {
  return [
    o.id,
    o.assignedResourceTypeId,
    o.resourceTypeId,
    o.connector,
    o.ownerId,
    o.targetResourceId,
    o.targetKey,
    o.changeType,
    toJson(o.scalars),
    toJson(o.addedLinks),
    toJson(o.removedLinks),
    toJson(o.assignmentIds),
    o.state,
    o.notBefore,
    o.createdAt,
    o.runId,
  ];
}

function fromRow(row: OrdersTable): ProvisioningOrder {
  const where = (column: string) => `orders row ${row.id}, column ${column}`;
  return {
    id: row.id,
    assignedResourceTypeId: row.assigned_resource_type_id,
    resourceTypeId: row.resource_type_id,
    connector: row.connector,
    ownerId: row.owner_id,
    targetResourceId: row.target_resource_id,
    targetKey: row.target_key,
    changeType: asOneOf(row.change_type, changeTypes, where('change_type')),
    scalars: fromJson<Record<string, ScalarValue>>(row.scalars, where('scalars')),
    addedLinks: fromJson<Record<string, LinkRef[]>>(row.added_links, where('added_links')),
    removedLinks: fromJson<Record<string, LinkRef[]>>(row.removed_links, where('removed_links')),
    assignmentIds: fromJson<string[]>(row.assignment_ids, where('assignment_ids')),
    state: asProvisioningState(row.state, where('state')),
    notBefore: row.not_before,
    createdAt: row.created_at,
    runId: row.run_id,
  };
}
