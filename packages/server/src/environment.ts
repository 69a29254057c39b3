/**
 * The one place that reads `process.env` (house rule 9). Everything else receives these values.
 */
export interface Environment {
  /** `postgres://…` for PostgreSQL, or a SQLite file path. */
  readonly databaseUrl: string | null;
  readonly testPostgresUrl: string;
  readonly ci: boolean;
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  return Object.freeze({
    databaseUrl: env.DATABASE_URL?.trim() || null,
    testPostgresUrl: env.ORDO_TEST_PG_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres',
    ci: env.CI === 'true',
  });
}
