import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Fulfilment: leases and retries of orders, synchronization cookies and runs, agent tokens.
 * Lease and retry columns live on `orders` itself, so that handing an order off is one
 * compare-and-set on one row.
 */
export function fulfilmentMigration(dialect: DialectName): Migration {
  const text = dialect === 'postgres' ? sql`text collate "C"` : 'text';
  return {
    async up(db: Kysely<any>) {
      const columns: [string, 'text' | 'integer', boolean][] = [
        ['lease_owner', 'text', false],
        ['lease_token', 'text', false],
        ['lease_expires_at', 'text', false],
        ['next_attempt_at', 'text', false],
        ['last_error', 'text', false],
        ['transmitted_at', 'text', false],
        ['executed_at', 'text', false],
        ['finished_at', 'text', false],
        ['result_key', 'text', false],
        ['attempts', 'integer', true],
        ['maybe_applied', 'integer', true],
      ];
      for (const [name, type, counter] of columns) {
        await db.schema
          .alterTable('orders')
          .addColumn(name, type, (c) => (counter ? c.notNull().defaultTo(0) : c))
          .execute();
      }
      // Leasing walks the due orders of a state oldest first and stops at its limit.
      await db.schema.createIndex('orders_lease_idx').on('orders').columns(['state', 'created_at', 'id']).execute();
      await db.schema
        .createIndex('orders_assigned_resource_type_idx')
        .on('orders')
        .columns(['assigned_resource_type_id', 'state'])
        .execute();

      await db.schema
        .createTable('sync_states')
        .addColumn('connection', text, (c) => c.notNull())
        .addColumn('entity_type', text, (c) => c.notNull())
        .addColumn('connector', text, (c) => c.notNull())
        .addColumn('cookie', 'text')
        .addColumn('last_complete_at', 'text')
        .addColumn('last_sync_at', 'text')
        .addPrimaryKeyConstraint('sync_states_pk', ['connection', 'entity_type'])
        .execute();

      await db.schema
        .createTable('sync_runs')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('connector', text, (c) => c.notNull())
        .addColumn('connection', text, (c) => c.notNull())
        .addColumn('entity_type', text, (c) => c.notNull())
        .addColumn('mode', text, (c) => c.notNull())
        .addColumn('status', text, (c) => c.notNull())
        .addColumn('inserted', 'integer', (c) => c.notNull())
        .addColumn('updated', 'integer', (c) => c.notNull())
        .addColumn('deleted', 'integer', (c) => c.notNull())
        .addColumn('verdicts', text, (c) => c.notNull())
        .addColumn('started_at', text, (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('resumed_by', 'text')
        .execute();
      await db.schema.createIndex('sync_runs_connector_idx').on('sync_runs').columns(['connector', 'status']).execute();

      await db.schema
        .createTable('agent_tokens')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('agent', text, (c) => c.notNull())
        .addColumn('token_hash', text, (c) => c.notNull().unique())
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['agent_tokens', 'sync_runs', 'sync_states']) await db.schema.dropTable(table).execute();
      await db.schema.dropIndex('orders_assigned_resource_type_idx').execute();
      await db.schema.dropIndex('orders_lease_idx').execute();
      for (const column of [
        'lease_owner',
        'lease_token',
        'lease_expires_at',
        'next_attempt_at',
        'last_error',
        'transmitted_at',
        'executed_at',
        'finished_at',
        'result_key',
        'attempts',
        'maybe_applied',
      ]) {
        await db.schema.alterTable('orders').dropColumn(column).execute();
      }
    },
  };
}
