import type {
  AssignedCompositeRole,
  AssignedNavigation,
  AssignedResourceType,
  AssignedScalar,
  AssignedSingleRole,
  Assignment,
  AssignmentKind,
  PendingOperation,
  ProvisionedAssignment,
  ProvisioningState,
  ScalarValue,
} from '@ordo/core';
import type { Kysely } from 'kysely';
import { type BulkColumn, type BulkRow, type BulkTable, bulkDelete, bulkInsert, upsertTable } from './bulk-write.ts';
import { chunked, rowsPerStatement } from './chunked.ts';
import type { Database } from './database.ts';
import {
  asOneOf,
  asProvisioningState,
  asWorkflowState,
  fromFlag,
  fromJson,
  toFlag,
  toJson,
  toNumber,
} from './row-codec.ts';
import type {
  AssignedCompositeRolesTable,
  AssignedNavigationsTable,
  AssignedResourceTypesTable,
  AssignedScalarsTable,
  AssignedSingleRolesTable,
  AssignmentCommonColumns,
  ProvisionedColumns,
} from './schema.ts';

export type ProvisionedKind = ProvisionedAssignment['kind'];

/** How many provisioned assignments of one kind are in one provisioning state. */
export interface AssignmentStateCount {
  readonly kind: ProvisionedKind;
  readonly provisioningState: ProvisioningState;
  readonly count: number;
}

/** Assigned roles, resource types, scalars and navigations: one table per kind. */
export class AssignmentStore {
  constructor(private readonly database: Database) {}

  /** Every assignment of each owner, in id order; owners without any map to an empty list. */
  async loadByOwners(ownerIds: readonly string[]): Promise<Map<string, Assignment[]>> {
    const result = new Map<string, Assignment[]>();
    const unique = [...new Set(ownerIds)];
    for (const owner of unique) result.set(owner, []);
    for (const chunk of chunked(unique, rowsPerStatement(this.database.dialect, 1))) {
      for (const kind of allKinds) {
        const rows = await anyDb(this.database)
          .selectFrom(tables[kind].table)
          .selectAll()
          .where('owner_id', 'in', chunk)
          .execute();
        for (const row of rows) result.get(row.owner_id)?.push(tables[kind].fromRow(row));
      }
    }
    for (const list of result.values()) list.sort(byId);
    return result;
  }

  /**
   * Writes a computation's result in one transaction: deletes first, then upserts (so an id in
   * both ends up written). An id's kind never changes, since ids are natural keys of one kind.
   */
  async saveChanges(changes: { upserts: readonly Assignment[]; deletes: readonly string[] }): Promise<void> {
    if (changes.upserts.length === 0 && changes.deletes.length === 0) return;
    const rows: Record<AssignmentKind, BulkRow[]> = {
      composite_role: [],
      single_role: [],
      resource_type: [],
      scalar: [],
      navigation: [],
    };
    for (const a of changes.upserts) rows[a.kind].push(tables[a.kind].toRow(a as never));
    await this.database.transaction(async (tx) => {
      for (const kind of allKinds) await bulkDelete(tx, tables[kind].table, 'id', changes.deletes);
      for (const kind of allKinds) await bulkInsert(tx, tables[kind].bulk, rows[kind]);
    });
  }

  async get(id: string): Promise<Assignment | undefined> {
    for (const kind of allKinds) {
      const row = await anyDb(this.database)
        .selectFrom(tables[kind].table)
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (row) return tables[kind].fromRow(row);
    }
    return undefined;
  }

  /** Provisioned assignments by id (an order's), in id order; unknown ids are skipped. */
  async getProvisioned(ids: readonly string[]): Promise<ProvisionedAssignment[]> {
    const found: ProvisionedAssignment[] = [];
    for (const chunk of chunked([...new Set(ids)], rowsPerStatement(this.database.dialect, 1))) {
      for (const kind of provisionedKinds) {
        const rows = await anyDb(this.database)
          .selectFrom(tables[kind].table)
          .selectAll()
          .where('id', 'in', chunk)
          .execute();
        for (const row of rows) found.push(tables[kind].fromRow(row) as ProvisionedAssignment);
      }
    }
    return found.sort(byId);
  }

  /** One page of provisioned assignments in a state, in id order across the three kinds. */
  async listByProvisioningState(
    state: ProvisioningState,
    page: { limit: number; afterId?: string },
  ): Promise<ProvisionedAssignment[]> {
    const found: ProvisionedAssignment[] = [];
    for (const kind of provisionedKinds) {
      let query = anyDb(this.database)
        .selectFrom(tables[kind].table)
        .selectAll()
        .where('provisioning_state', '=', state);
      if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
      const rows = await query.orderBy('id').limit(page.limit).execute();
      for (const row of rows) found.push(tables[kind].fromRow(row) as ProvisionedAssignment);
    }
    return found.sort(byId).slice(0, page.limit);
  }

  /** Counts per kind and provisioning state, for dashboards and thresholds; zero counts are absent. */
  async countByState(): Promise<AssignmentStateCount[]> {
    const counts: AssignmentStateCount[] = [];
    for (const kind of provisionedKinds) {
      const rows = await anyDb(this.database)
        .selectFrom(tables[kind].table)
        .select(['provisioning_state', (eb) => eb.fn.countAll().as('n')])
        .groupBy('provisioning_state')
        .orderBy('provisioning_state')
        .execute();
      for (const row of rows) {
        counts.push({
          kind,
          provisioningState: asProvisioningState(row.provisioning_state, `${tables[kind].table} state count`),
          count: toNumber(row.n),
        });
      }
    }
    return counts;
  }

  /** Which owner holds each target resource (assigned resource types with a target), in resource id order. */
  async listOwnership(): Promise<{ resourceId: string; ownerId: string }[]> {
    const rows = await this.database.db
      .selectFrom('assigned_resource_types')
      .select(['target_resource_id', 'owner_id'])
      .where('target_resource_id', 'is not', null)
      // Association proposals (below 100, in review) name a target without owning it: see ownsTarget.
      .where((eb) => eb.not(eb.and([eb('provisioning_state', '=', 5), eb('confidence', '<', 100)])))
      .orderBy('target_resource_id')
      .orderBy('owner_id')
      .execute();
    return rows.map((r) => ({ resourceId: r.target_resource_id as string, ownerId: r.owner_id }));
  }

  /**
   * Computed values of one scalar of one resource type, with their owners: the logins handed out
   * by `unique()` that are not in the target system yet must stay taken for everyone else.
   */
  async listComputedValues(
    resourceTypeId: string,
    property: string,
  ): Promise<{ ownerId: string; value: ScalarValue }[]> {
    const rows = await this.database.db
      .selectFrom('assigned_scalars')
      .select(['owner_id', 'computed_value', 'id'])
      .where('resource_type_id', '=', resourceTypeId)
      .where('property', '=', property)
      .execute();
    return rows.map((r) => ({
      ownerId: r.owner_id,
      value: fromJson<ScalarValue>(r.computed_value, `assigned_scalars row ${r.id}, column computed_value`),
    }));
  }

  /** True when no assignment of any kind is stored (before the first computation). */
  async isEmpty(): Promise<boolean> {
    for (const kind of allKinds) {
      const row = await anyDb(this.database).selectFrom(tables[kind].table).select('id').limit(1).executeTakeFirst();
      if (row) return false;
    }
    return true;
  }

  /**
   * Targets per resource type: assigned resource types that own a target resource. This is the
   * population percentage thresholds apply to. Resource types without targets are absent.
   */
  async countTargetsByResourceType(): Promise<Record<string, number>> {
    const rows = await this.database.db
      .selectFrom('assigned_resource_types')
      .select(['resource_type_id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('target_resource_id', 'is not', null)
      .groupBy('resource_type_id')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.resource_type_id, toNumber(r.n)]));
  }

  /** Assigned resource types, scalars and navigations of one resource type, in id order. */
  async listByResourceType(resourceTypeId: string): Promise<ProvisionedAssignment[]> {
    const found: ProvisionedAssignment[] = [];
    for (const kind of provisionedKinds) {
      const rows = await anyDb(this.database)
        .selectFrom(tables[kind].table)
        .selectAll()
        .where('resource_type_id', '=', resourceTypeId)
        .execute();
      for (const row of rows) found.push(tables[kind].fromRow(row) as ProvisionedAssignment);
    }
    return found.sort(byId);
  }
}

// The five tables share their common columns; the per-kind descriptors below are typed, and the
// generic loops above address tables by name, which Kysely's static types cannot follow.
function anyDb(database: Database): Kysely<any> {
  return database.db as unknown as Kysely<any>;
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const pendingOperations: readonly PendingOperation[] = ['add', 'update', 'remove'];

const text = (name: string): BulkColumn => ({ name, type: 'text' });
const integer = (name: string): BulkColumn => ({ name, type: 'integer' });

/*
 * Rows are written positionally (see BulkRow): each kind's `toRow` lists its values in the order
 * of its column list, the common columns first, then the provisioned ones, then its own.
 */
const commonColumns: readonly BulkColumn[] = [
  text('id'),
  text('owner_id'),
  integer('workflow_state'),
  text('start_date'),
  text('end_date'),
  text('rule_id'),
];
const provisionedColumns: readonly BulkColumn[] = [
  ...commonColumns,
  integer('provisioning_state'),
  text('pending_operation'),
  text('message'),
  integer('declined'),
];

function commonFromRow(row: AssignmentCommonColumns, table: string) {
  return {
    id: row.id,
    ownerId: row.owner_id,
    workflowState: asWorkflowState(row.workflow_state, `${table} row ${row.id}, column workflow_state`),
    startDate: row.start_date,
    endDate: row.end_date,
    ruleId: row.rule_id,
  };
}

/** The values of `provisionedColumns`, in their order. */
function provisionedValues(a: ProvisionedAssignment): BulkRow {
  return [
    a.id,
    a.ownerId,
    a.workflowState,
    a.startDate,
    a.endDate,
    a.ruleId,
    a.provisioningState,
    a.pendingOperation,
    a.message,
    toFlag(a.declined),
  ];
}

function provisionedFromRow(row: ProvisionedColumns, table: string) {
  const where = `${table} row ${row.id}`;
  return {
    ...commonFromRow(row, table),
    provisioningState: asProvisioningState(row.provisioning_state, `${where}, column provisioning_state`),
    pendingOperation:
      row.pending_operation === null
        ? null
        : asOneOf(row.pending_operation, pendingOperations, `${where}, column pending_operation`),
    message: row.message,
    declined: fromFlag(row.declined),
  };
}

interface KindTable<A extends Assignment, Row> {
  readonly table: string;
  /** Columns of `toRow`'s values; every one but `id` is replaced on upsert. */
  readonly bulk: BulkTable;
  toRow(a: A): BulkRow;
  fromRow(row: Row): A;
}

const tables: { readonly [K in AssignmentKind]: KindTable<Extract<Assignment, { kind: K }>, any> } = {
  composite_role: {
    table: 'assigned_composite_roles',
    bulk: upsertTable('assigned_composite_roles', 'id', [...commonColumns, text('role_id')]),
    toRow: (a) => [a.id, a.ownerId, a.workflowState, a.startDate, a.endDate, a.ruleId, a.roleId],
    fromRow: (row: AssignedCompositeRolesTable): AssignedCompositeRole => ({
      kind: 'composite_role',
      ...commonFromRow(row, 'assigned_composite_roles'),
      roleId: row.role_id,
    }),
  },
  single_role: {
    table: 'assigned_single_roles',
    bulk: upsertTable('assigned_single_roles', 'id', [...commonColumns, text('role_id'), text('inferred_from')]),
    toRow: (a) => [a.id, a.ownerId, a.workflowState, a.startDate, a.endDate, a.ruleId, a.roleId, a.inferredFrom],
    fromRow: (row: AssignedSingleRolesTable): AssignedSingleRole => ({
      kind: 'single_role',
      ...commonFromRow(row, 'assigned_single_roles'),
      roleId: row.role_id,
      inferredFrom: row.inferred_from,
    }),
  },
  resource_type: {
    table: 'assigned_resource_types',
    bulk: upsertTable('assigned_resource_types', 'id', [
      ...provisionedColumns,
      text('resource_type_id'),
      text('target_resource_id'),
      integer('confidence'),
    ]),
    toRow: (a) => [...provisionedValues(a), a.resourceTypeId, a.targetResourceId, a.confidence],
    fromRow: (row: AssignedResourceTypesTable): AssignedResourceType => ({
      kind: 'resource_type',
      ...provisionedFromRow(row, 'assigned_resource_types'),
      resourceTypeId: row.resource_type_id,
      targetResourceId: row.target_resource_id,
      confidence: row.confidence === null ? null : toNumber(row.confidence),
    }),
  },
  scalar: {
    table: 'assigned_scalars',
    bulk: upsertTable('assigned_scalars', 'id', [
      ...provisionedColumns,
      text('assigned_resource_type_id'),
      text('resource_type_id'),
      text('property'),
      text('computed_value'),
      text('current_value'),
      integer('mapped'),
    ]),
    toRow: (a) => [
      ...provisionedValues(a),
      a.assignedResourceTypeId,
      a.resourceTypeId,
      a.property,
      toJson(a.computedValue),
      toJson(a.currentValue),
      toFlag(a.mapped),
    ],
    fromRow: (row: AssignedScalarsTable): AssignedScalar => ({
      kind: 'scalar',
      ...provisionedFromRow(row, 'assigned_scalars'),
      assignedResourceTypeId: row.assigned_resource_type_id,
      resourceTypeId: row.resource_type_id,
      property: row.property,
      computedValue: fromJson<ScalarValue>(row.computed_value, `assigned_scalars row ${row.id}, column computed_value`),
      currentValue: fromJson<ScalarValue>(row.current_value, `assigned_scalars row ${row.id}, column current_value`),
      mapped: fromFlag(row.mapped),
    }),
  },
  navigation: {
    table: 'assigned_navigations',
    bulk: upsertTable('assigned_navigations', 'id', [
      ...provisionedColumns,
      text('assigned_resource_type_id'),
      text('resource_type_id'),
      text('property'),
      text('value_resource_id'),
      integer('confidence'),
    ]),
    toRow: (a) => [
      ...provisionedValues(a),
      a.assignedResourceTypeId,
      a.resourceTypeId,
      a.property,
      a.valueResourceId,
      a.confidence,
    ],
    fromRow: (row: AssignedNavigationsTable): AssignedNavigation => ({
      kind: 'navigation',
      ...provisionedFromRow(row, 'assigned_navigations'),
      assignedResourceTypeId: row.assigned_resource_type_id,
      resourceTypeId: row.resource_type_id,
      property: row.property,
      valueResourceId: row.value_resource_id,
      confidence: row.confidence === null ? null : toNumber(row.confidence),
    }),
  },
};

const allKinds: readonly AssignmentKind[] = ['composite_role', 'single_role', 'resource_type', 'scalar', 'navigation'];
const provisionedKinds: readonly ProvisionedKind[] = ['resource_type', 'scalar', 'navigation'];
