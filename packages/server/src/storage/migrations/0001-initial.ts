import { type CreateTableBuilder, type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * The first schema. Types are the common ground of SQLite and PostgreSQL: text for ids, JSON and
 * ISO-8601 timestamps (which sort correctly as text), integer for numbers and 0/1 flags.
 */
export function initialMigration(dialect: DialectName): Migration {
  // Binary collation on PostgreSQL so that ids sort (and page) exactly as on SQLite, whatever the
  // cluster's locale, and comparisons skip the locale's cost.
  const text = dialect === 'postgres' ? sql`text collate "C"` : 'text';
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('config_versions')
        .addColumn('number', 'integer', (c) => c.primaryKey())
        .addColumn('applied_at', text, (c) => c.notNull())
        .addColumn('applied_by', text, (c) => c.notNull())
        .addColumn('hash', text, (c) => c.notNull())
        .addColumn('files', text, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('resources')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('entity_type', text, (c) => c.notNull())
        .addColumn('key', text, (c) => c.notNull())
        .addColumn('values_json', text, (c) => c.notNull())
        .addColumn('dirty', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('classified_resource_type', 'text')
        .addUniqueConstraint('resources_entity_type_key_unique', ['entity_type', 'key'])
        .execute();
      // Serves keyset paging per entity type and listDirty without a scan of clean rows.
      await db.schema
        .createIndex('resources_entity_type_id_idx')
        .on('resources')
        .columns(['entity_type', 'id'])
        .execute();
      // Only dirty rows are in this index (partial): "the dirty ones of a type, in id order" is a
      // short range whatever the table's size and statistics, and clean rows cost it nothing.
      await db.schema
        .createIndex('resources_dirty_idx')
        .on('resources')
        .columns(['entity_type', 'id'])
        .where(sql.ref('dirty'), '=', 1)
        .execute();
      await db.schema
        .createIndex('resources_classified_idx')
        .on('resources')
        .column('classified_resource_type')
        .execute();

      await db.schema
        .createTable('resource_links')
        .addColumn('resource_id', text, (c) => c.notNull().references('resources.id').onDelete('cascade'))
        .addColumn('property', text, (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        // No foreign key: a synchronization may bring a member before the group it points to.
        .addColumn('target_id', text, (c) => c.notNull())
        .addPrimaryKeyConstraint('resource_links_pk', ['resource_id', 'property', 'position'])
        .execute();
      await db.schema
        .createIndex('resource_links_target_idx')
        .on('resource_links')
        .columns(['target_id', 'property'])
        .execute();

      // On SQLite the assignment tables are clustered on their text primary key (WITHOUT ROWID):
      // one b-tree instead of a rowid table plus a key index, which makes the millions of rows a
      // complete computation writes markedly cheaper. Their rows are small, as such tables need.
      const clustered = <T extends string>(t: CreateTableBuilder<T, never>) =>
        dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t;
      const common = <T extends string>(t: CreateTableBuilder<T, never>) =>
        clustered(t)
          .addColumn('id', text, (c) => c.primaryKey())
          .addColumn('owner_id', text, (c) => c.notNull())
          .addColumn('workflow_state', 'integer', (c) => c.notNull())
          .addColumn('start_date', 'text')
          .addColumn('end_date', 'text')
          .addColumn('rule_id', 'text');
      const provisioned = <T extends string>(t: CreateTableBuilder<T, never>) =>
        common(t)
          .addColumn('provisioning_state', 'integer', (c) => c.notNull())
          .addColumn('pending_operation', 'text')
          .addColumn('message', 'text')
          .addColumn('declined', 'integer', (c) => c.notNull().defaultTo(0));

      await common(db.schema.createTable('assigned_composite_roles'))
        .addColumn('role_id', text, (c) => c.notNull())
        .execute();
      await common(db.schema.createTable('assigned_single_roles'))
        .addColumn('role_id', text, (c) => c.notNull())
        .addColumn('inferred_from', 'text')
        .execute();
      await provisioned(db.schema.createTable('assigned_resource_types'))
        .addColumn('resource_type_id', text, (c) => c.notNull())
        .addColumn('target_resource_id', 'text')
        .addColumn('confidence', 'integer')
        .execute();
      await provisioned(db.schema.createTable('assigned_scalars'))
        .addColumn('assigned_resource_type_id', text, (c) => c.notNull())
        .addColumn('resource_type_id', text, (c) => c.notNull())
        .addColumn('property', text, (c) => c.notNull())
        .addColumn('computed_value', text, (c) => c.notNull())
        .addColumn('current_value', text, (c) => c.notNull())
        .addColumn('mapped', 'integer', (c) => c.notNull())
        .execute();
      await provisioned(db.schema.createTable('assigned_navigations'))
        .addColumn('assigned_resource_type_id', text, (c) => c.notNull())
        .addColumn('resource_type_id', text, (c) => c.notNull())
        .addColumn('property', text, (c) => c.notNull())
        .addColumn('value_resource_id', text, (c) => c.notNull())
        .addColumn('confidence', 'integer')
        .execute();

      for (const table of ['assigned_composite_roles', 'assigned_single_roles']) {
        await db.schema.createIndex(`${table}_owner_idx`).on(table).column('owner_id').execute();
      }
      for (const table of ['assigned_resource_types', 'assigned_scalars', 'assigned_navigations']) {
        await db.schema.createIndex(`${table}_owner_idx`).on(table).column('owner_id').execute();
        // (state, id) serves both the state filter and keyset paging inside one state.
        await db.schema.createIndex(`${table}_state_idx`).on(table).columns(['provisioning_state', 'id']).execute();
        await db.schema.createIndex(`${table}_resource_type_idx`).on(table).column('resource_type_id').execute();
      }

      await db.schema
        .createTable('orders')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('assigned_resource_type_id', text, (c) => c.notNull())
        .addColumn('resource_type_id', text, (c) => c.notNull())
        .addColumn('connector', text, (c) => c.notNull())
        .addColumn('owner_id', text, (c) => c.notNull())
        .addColumn('target_resource_id', 'text')
        .addColumn('target_key', 'text')
        .addColumn('change_type', text, (c) => c.notNull())
        .addColumn('scalars', text, (c) => c.notNull())
        .addColumn('added_links', text, (c) => c.notNull())
        .addColumn('removed_links', text, (c) => c.notNull())
        .addColumn('assignment_ids', text, (c) => c.notNull())
        .addColumn('state', 'integer', (c) => c.notNull())
        .addColumn('not_before', 'text')
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('run_id', text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('orders_state_idx').on('orders').columns(['state', 'id']).execute();
      await db.schema.createIndex('orders_connector_idx').on('orders').columns(['connector', 'state', 'id']).execute();
      await db.schema.createIndex('orders_owner_idx').on('orders').column('owner_id').execute();
      await db.schema.createIndex('orders_run_idx').on('orders').column('run_id').execute();

      await db.schema
        .createTable('order_ledger')
        .addColumn('id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
        )
        .addColumn('assignment_id', text, (c) => c.notNull())
        .addColumn('owner_id', text, (c) => c.notNull())
        .addColumn('state_kind', text, (c) => c.notNull())
        .addColumn('from_state', 'integer')
        .addColumn('to_state', 'integer')
        .addColumn('event', text, (c) => c.notNull())
        .addColumn('rule_id', 'text')
        .addColumn('expression_result', 'text')
        .addColumn('message', 'text')
        .addColumn('order_id', 'text')
        .addColumn('cause_kind', text, (c) => c.notNull())
        .addColumn('cause_id', text, (c) => c.notNull())
        .addColumn('at', text, (c) => c.notNull())
        // A workflow move recorded with the provisioning move of the same event (see LedgerStore).
        .addColumn('paired_from_state', 'integer')
        .addColumn('paired_to_state', 'integer')
        .addColumn('paired_event', 'text')
        .execute();
      await db.schema.createIndex('order_ledger_assignment_idx').on('order_ledger').column('assignment_id').execute();
      // Most entries belong to no order: a partial index keeps them out of it.
      await db.schema
        .createIndex('order_ledger_order_idx')
        .on('order_ledger')
        .column('order_id')
        .where(sql.ref('order_id'), 'is not', null)
        .execute();
      await db.schema.createIndex('order_ledger_owner_idx').on('order_ledger').column('owner_id').execute();

      await db.schema
        .createTable('generation_runs')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('started_at', text, (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('blocked_at', 'text')
        .addColumn('resumed_at', 'text')
        .addColumn('resumed_by', 'text')
        .addColumn('status', text, (c) => c.notNull())
        .addColumn('verdicts', text, (c) => c.notNull())
        .addColumn('counts', text, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('generation_runs_status_idx')
        .on('generation_runs')
        .columns(['status', 'started_at'])
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const table of [
        'generation_runs',
        'order_ledger',
        'orders',
        'assigned_navigations',
        'assigned_scalars',
        'assigned_resource_types',
        'assigned_single_roles',
        'assigned_composite_roles',
        'resource_links',
        'resources',
        'config_versions',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
