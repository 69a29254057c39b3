import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * Reconciliation decisions (issue 4): who kept or removed what was found in a managed system, and
 * why. An orphan account has no assignment row to carry its exception, so the decision row is its
 * exception; its id (`orphan:<resource id>`) is the compare-and-set that lets one person win.
 */
const foundTables = [
  'assigned_single_roles',
  'assigned_composite_roles',
  'assigned_resource_types',
  'assigned_scalars',
  'assigned_navigations',
] as const;

export function reconciliationMigration(dialect: DialectName): Migration {
  const text = dialect === 'postgres' ? sql`text collate "C"` : 'text';
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('reconciliation_decisions')
        .addColumn('id', text, (c) => c.primaryKey())
        /** orphan | single_role | composite_role | resource_type | scalar | navigation */
        .addColumn('subject_kind', text, (c) => c.notNull())
        .addColumn('subject_id', text, (c) => c.notNull())
        .addColumn('entity_type', text, (c) => c.notNull())
        /** keep | remove */
        .addColumn('decision', text, (c) => c.notNull())
        .addColumn('decided_by', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text', (c) => c.notNull())
        .addColumn('comment', 'text')
        .execute();
      await db.schema
        .createIndex('reconciliation_decisions_subject_idx')
        .on('reconciliation_decisions')
        .columns(['subject_id'])
        .execute();
      // Reconciliation screens list the few found rows (workflow 1 or 3) among millions of
      // calculated ones: partial indexes, so that computations writing the others pay nothing.
      for (const table of foundTables) {
        await db.schema
          .createIndex(`${table}_found_idx`)
          .on(table)
          .columns(['id'])
          .where(sql.ref('workflow_state'), 'in', [1, 3])
          .execute();
      }
    },
    async down(db: Kysely<any>) {
      for (const table of foundTables) await db.schema.dropIndex(`${table}_found_idx`).execute();
      await db.schema.dropTable('reconciliation_decisions').execute();
    },
  };
}
