import type { Database } from './database.ts';
import { fromJson, toJson } from './row-codec.ts';
import type { ConfigVersionsTable } from './schema.ts';
import { StorageError } from './storage-error.ts';

/** One applied configuration: the whole folder as it was, so earlier versions stay readable. */
export interface ConfigVersion {
  readonly number: number;
  readonly appliedAt: string;
  readonly appliedBy: string;
  /** Hash of the folder's content, to tell whether a folder differs from an applied version. */
  readonly hash: string;
  /** Relative file path → file content. */
  readonly files: Readonly<Record<string, string>>;
}

/** A version without its files, for listings. */
export type ConfigVersionSummary = Omit<ConfigVersion, 'files'>;

/** Applied configuration versions, numbered 1, 2, 3… */
export class ConfigVersionStore {
  constructor(private readonly database: Database) {}

  /**
   * Records a new version and returns its number (the previous highest plus one). Two concurrent
   * applies cannot get the same number: the loser of the primary-key race retries.
   */
  async apply(input: {
    files: Readonly<Record<string, string>>;
    hash: string;
    appliedBy: string;
    at: string;
  }): Promise<number> {
    const attempts = 5;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.database.transaction(async (tx) => {
          const row = await tx.db
            .selectFrom('config_versions')
            .select((eb) => eb.fn.max('number').as('max'))
            .executeTakeFirst();
          const next = Number(row?.max ?? 0) + 1;
          await tx.db
            .insertInto('config_versions')
            .values({
              number: next,
              applied_at: input.at,
              applied_by: input.appliedBy,
              hash: input.hash,
              files: toJson(input.files),
            })
            .execute();
          return next;
        });
      } catch (error) {
        // Inside an outer transaction a retry would run on an aborted transaction: let it fail.
        if (attempt >= attempts || this.database.inTransaction || !isUniqueViolation(error)) {
          if (isUniqueViolation(error)) {
            throw new StorageError(
              'STORAGE_CONFIG_VERSION_CONFLICT',
              `Cannot record configuration version: another apply took the same number ${attempts} times; try again.`,
              { cause: error },
            );
          }
          throw error;
        }
      }
    }
  }

  async get(number: number): Promise<ConfigVersion | undefined> {
    const row = await this.database.db
      .selectFrom('config_versions')
      .selectAll()
      .where('number', '=', number)
      .executeTakeFirst();
    return row && toConfigVersion(row);
  }

  /** The number of the latest version, without its files: a cheap check for a change. */
  async latestNumber(): Promise<number | undefined> {
    const row = await this.database.db
      .selectFrom('config_versions')
      .select('number')
      .orderBy('number', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : Number(row.number);
  }

  async latest(): Promise<ConfigVersion | undefined> {
    const row = await this.database.db
      .selectFrom('config_versions')
      .selectAll()
      .orderBy('number', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toConfigVersion(row);
  }

  /** Every version, oldest first, without file contents. */
  async list(): Promise<ConfigVersionSummary[]> {
    const rows = await this.database.db
      .selectFrom('config_versions')
      .select(['number', 'applied_at', 'applied_by', 'hash'])
      .orderBy('number', 'asc')
      .execute();
    return rows.map((r) => ({
      number: Number(r.number),
      appliedAt: r.applied_at,
      appliedBy: r.applied_by,
      hash: r.hash,
    }));
  }
}

function toConfigVersion(row: ConfigVersionsTable): ConfigVersion {
  return {
    number: Number(row.number),
    appliedAt: row.applied_at,
    appliedBy: row.applied_by,
    hash: row.hash,
    files: fromJson(row.files, `config_versions row ${row.number}, column files`),
  };
}

/** SQLite: SQLITE_CONSTRAINT_PRIMARYKEY / _UNIQUE; PostgreSQL: 23505 unique_violation. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
