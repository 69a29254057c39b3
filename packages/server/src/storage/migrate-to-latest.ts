import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely';
import type { Database } from './database.ts';
import { initialMigration } from './migrations/0001-initial.ts';
import { fulfilmentMigration } from './migrations/0002-fulfilment.ts';
import { apiMigration } from './migrations/0003-api.ts';
import { reconciliationMigration } from './migrations/0004-reconciliation.ts';
import { StorageError } from './storage-error.ts';

/**
 * Migrations live in code (not a folder scanned at run time) so that a bundled CLI carries them.
 * Names sort in order of application; never rename or edit one that has shipped.
 */
export class OrdoMigrationProvider implements MigrationProvider {
  constructor(private readonly database: Pick<Database, 'dialect'>) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    return {
      '0001_initial': initialMigration(this.database.dialect),
      '0002_fulfilment': fulfilmentMigration(this.database.dialect),
      '0003_api': apiMigration(this.database.dialect),
      '0004_reconciliation': reconciliationMigration(this.database.dialect),
    };
  }
}

/**
 * Brings the schema to the latest migration. Safe to run again and from several processes at
 * once: Kysely's migrator takes a lock and skips migrations already applied.
 * @returns the names of the migrations applied by this call.
 */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db,
    provider: new OrdoMigrationProvider(database),
    ...(database.schema ? { migrationTableSchema: database.schema } : {}),
  });
  let outcome: MigrationResultSet = await migrator.migrateToLatest();
  // Kysely's migrator introspects the tables of every schema of the database; another process
  // dropping its own schema at that moment fails the introspection, not the migration. Retried.
  for (let attempt = 1; attempt < 5 && isConcurrentSchemaDrop(outcome.error); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    outcome = await migrator.migrateToLatest();
  }
  const { error, results } = outcome;
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new StorageError(
      'STORAGE_MIGRATION_FAILED',
      `Database migration "${failed}" failed on ${database.dialect}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function isConcurrentSchemaDrop(error: unknown): boolean {
  return error instanceof Error && /(schema|relation) "[^"]+" does not exist/.test(error.message);
}
