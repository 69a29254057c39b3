import { sql } from 'kysely';
import type { Database } from './database.ts';

/**
 * Runs `fn` while holding a lock named `name` that every process on the same PostgreSQL schema
 * shares, so that work which reads, decides and writes in several transactions (computing dirty
 * identities, generating orders) never runs twice at once across server nodes.
 *
 * On PostgreSQL this is a session-level advisory lock held by one pinned pool connection while
 * `fn` runs on the others: a process that dies (SIGKILL included) drops its connection, and
 * PostgreSQL releases the lock at once, so a crash never leaves it held. The key includes the
 * schema, so sites in other schemas of the same database do not wait for each other.
 *
 * Within one process, callers of the same lock also wait in turn (on SQLite that is the whole
 * lock: one server process owns an embedded file).
 */
export async function withClusterLock<T>(
  database: Pick<Database, 'db' | 'dialect' | 'schema' | 'inTransaction'>,
  name: string,
  fn: () => Promise<T>,
): Promise<T> {
  if (database.inTransaction) {
    throw new Error(`withClusterLock(${name}): call it outside a transaction; the lock spans several`);
  }
  return inProcessTurn(database.db, name, () =>
    database.dialect === 'postgres' ? advisoryLocked(database, name, fn) : fn(),
  );
}

/** The lock the provisioning pipeline and the jobs' compute and generate steps share. */
export const provisioningLockName = 'provisioning-pipeline';

const queues = new WeakMap<object, Map<string, Promise<unknown>>>();

/** Runs `fn` after every earlier caller of the same lock on the same database handle. */
function inProcessTurn<T>(owner: object, name: string, fn: () => Promise<T>): Promise<T> {
  let byName = queues.get(owner);
  if (!byName) queues.set(owner, (byName = new Map()));
  const previous = byName.get(name) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  byName.set(
    name,
    run.catch(() => {}),
  );
  return run;
}

function advisoryLocked<T>(database: Pick<Database, 'db' | 'schema'>, name: string, fn: () => Promise<T>): Promise<T> {
  const key = `ordo:${database.schema ?? 'public'}:${name}`;
  return database.db.connection().execute(async (connection) => {
    // hashtext gives a 32-bit key: a collision would only make two unrelated runs wait in turn.
    await sql`select pg_advisory_lock(hashtext(${key}))`.execute(connection);
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(connection);
    }
  });
}
