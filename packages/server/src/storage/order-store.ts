import type {
  ChangeType,
  ConnectorFailure,
  LinkRef,
  ProvisioningOrder,
  ProvisioningState,
  ScalarValue,
} from '@ordo/core';
import type { Selectable } from 'kysely';
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

/** Where an order is in its hand-off to an agent or a person. */
export interface OrderDispatch {
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly leaseOwner: string | null;
  readonly leaseToken: string | null;
  readonly leaseExpiresAt: string | null;
  /** An attempt may have reached the system: read before writing again. */
  readonly maybeApplied: boolean;
  readonly lastError: ConnectorFailure | null;
  readonly transmittedAt: string | null;
  readonly executedAt: string | null;
  readonly finishedAt: string | null;
  readonly resultKey: string | null;
}

export interface DispatchedOrder {
  readonly order: ProvisioningOrder;
  readonly dispatch: OrderDispatch;
}

/** Columns a state move may set with it; absent = unchanged, null = cleared. */
export type DispatchChange = {
  -readonly [K in keyof OrderDispatch]?: OrderDispatch[K];
};

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

  /** Orders with their hand-off details, in the order of `ids` (missing ids are skipped). */
  async getDispatched(ids: readonly string[]): Promise<DispatchedOrder[]> {
    if (ids.length === 0) return [];
    const rows = await this.database.db.selectFrom('orders').selectAll().where('id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [{ order: fromRow(row), dispatch: dispatchOf(row) }] : [];
    });
  }

  /**
   * Orders an agent may take now for these resource types, oldest first: Pending ones due now,
   * and Transmitted ones whose retry is due or whose lease expired (an agent died holding it).
   * An order waits while an older order of the same target is still Pending or Transmitted, so
   * that an account is created before a later order changes it. On PostgreSQL the rows are
   * locked and rows locked by another server are skipped; call it inside a transaction.
   */
  async leaseCandidates(request: {
    resourceTypeIds: readonly string[];
    now: string;
    limit: number;
    /** Only Pending orders (the manual queue takes each order once and keeps no lease). */
    pendingOnly?: boolean;
  }): Promise<DispatchedOrder[]> {
    if (request.resourceTypeIds.length === 0 || request.limit <= 0) return [];
    const { now, limit } = request;
    const due = (state: 1 | 2) => {
      let query = this.database.db
        .selectFrom('orders as o')
        .selectAll('o')
        .where('o.state', '=', state)
        .where('o.resource_type_id', 'in', request.resourceTypeIds)
        .where((eb) => eb.or([eb('o.next_attempt_at', 'is', null), eb('o.next_attempt_at', '<=', now)]))
        .where((eb) =>
          state === 1
            ? eb.or([eb('o.not_before', 'is', null), eb('o.not_before', '<=', now)])
            : eb.or([eb('o.lease_expires_at', 'is', null), eb('o.lease_expires_at', '<=', now)]),
        )
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('orders as p')
                .select('p.id')
                .whereRef('p.assigned_resource_type_id', '=', 'o.assigned_resource_type_id')
                .where('p.state', 'in', [1, 2])
                .where((eb) =>
                  eb.or([
                    eb('p.created_at', '<', eb.ref('o.created_at')),
                    eb.and([eb('p.created_at', '=', eb.ref('o.created_at')), eb('p.id', '<', eb.ref('o.id'))]),
                  ]),
                ),
            ),
          ),
        )
        // Walks the (state, created_at, id) index in order and stops at the limit.
        .orderBy('o.created_at')
        .orderBy('o.id')
        .limit(limit);
      if (this.database.dialect === 'postgres') query = query.forUpdate().skipLocked();
      return query.execute();
    };
    // Pending orders, and Transmitted ones whose retry is due or whose lease ran out: two index
    // walks instead of one sort of every open order.
    const rows = [...(await due(1)), ...(request.pendingOnly ? [] : await due(2))]
      .sort((a, b) =>
        a.created_at === b.created_at ? compareText(a.id, b.id) : compareText(a.created_at, b.created_at),
      )
      .slice(0, limit);
    return rows.map((row) => ({ order: fromRow(row), dispatch: dispatchOf(row) }));
  }

  /**
   * Compare-and-set of a state move with its hand-off details: applies only if the order is in
   * `from` (and holds `leaseToken`, when given), so a late report of an expired lease, or two
   * reviewers at once, cannot both win.
   */
  async moveWithDispatch(
    id: string,
    expected: { from: ProvisioningState; leaseToken?: string },
    to: ProvisioningState,
    change: DispatchChange,
  ): Promise<boolean> {
    const set: Record<string, unknown> = { state: to };
    if (change.attempts !== undefined) set.attempts = change.attempts;
    if (change.nextAttemptAt !== undefined) set.next_attempt_at = change.nextAttemptAt;
    if (change.leaseOwner !== undefined) set.lease_owner = change.leaseOwner;
    if (change.leaseToken !== undefined) set.lease_token = change.leaseToken;
    if (change.leaseExpiresAt !== undefined) set.lease_expires_at = change.leaseExpiresAt;
    if (change.maybeApplied !== undefined) set.maybe_applied = change.maybeApplied ? 1 : 0;
    if (change.lastError !== undefined) set.last_error = change.lastError === null ? null : toJson(change.lastError);
    if (change.transmittedAt !== undefined) set.transmitted_at = change.transmittedAt;
    if (change.executedAt !== undefined) set.executed_at = change.executedAt;
    if (change.finishedAt !== undefined) set.finished_at = change.finishedAt;
    if (change.resultKey !== undefined) set.result_key = change.resultKey;
    let query = this.database.db.updateTable('orders').set(set).where('id', '=', id).where('state', '=', expected.from);
    if (expected.leaseToken !== undefined) query = query.where('lease_token', '=', expected.leaseToken);
    const result = await query.executeTakeFirst();
    return toNumber(result.numUpdatedRows) === 1;
  }

  /** Orders in a state since before `before` (by hand-off or execution time), for the watchdog. */
  async listStale(state: ProvisioningState, column: 'transmitted_at' | 'executed_at', before: string, limit: number) {
    const rows = await this.database.db
      .selectFrom('orders')
      .selectAll()
      .where('state', '=', state)
      .where(column, '<', before)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ order: fromRow(row), dispatch: dispatchOf(row) }));
  }

  /** Orders per state and connector, for queue depth and dashboards. */
  async countByConnectorAndState(): Promise<{ connector: string; state: ProvisioningState; count: number }[]> {
    const rows = await this.database.db
      .selectFrom('orders')
      .select(['connector', 'state', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy(['connector', 'state'])
      .orderBy('connector')
      .orderBy('state')
      .execute();
    return rows.map((r) => ({
      connector: r.connector,
      state: asProvisioningState(r.state, `orders count of ${r.connector}`),
      count: toNumber(r.n),
    }));
  }

  /** Creation time of the oldest order in a state, per connector. */
  async oldestByConnector(state: ProvisioningState): Promise<{ connector: string; createdAt: string }[]> {
    const rows = await this.database.db
      .selectFrom('orders')
      .select(['connector', (eb) => eb.fn.min<string>('created_at').as('oldest')])
      .where('state', '=', state)
      .groupBy('connector')
      .orderBy('connector')
      .execute();
    return rows.map((r) => ({ connector: r.connector, createdAt: r.oldest }));
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

function fromRow(row: Selectable<OrdersTable>): ProvisioningOrder {
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

function dispatchOf(row: Selectable<OrdersTable>): OrderDispatch {
  return {
    attempts: toNumber(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    leaseOwner: row.lease_owner,
    leaseToken: row.lease_token,
    leaseExpiresAt: row.lease_expires_at,
    maybeApplied: toNumber(row.maybe_applied) === 1,
    lastError:
      row.last_error === null
        ? null
        : fromJson<ConnectorFailure>(row.last_error, `orders row ${row.id}, column last_error`),
    transmittedAt: row.transmitted_at,
    executedAt: row.executed_at,
    finishedAt: row.finished_at,
    resultKey: row.result_key,
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
