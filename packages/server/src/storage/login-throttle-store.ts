import type { Database } from './database.ts';

export interface ThrottleRecord {
  readonly key: string;
  readonly failures: number;
  readonly windowStartedAt: string;
  readonly lockedUntil: string | null;
}

/** Failed sign-ins per key, shared by every server process through the database. */
export class LoginThrottleStore {
  constructor(private readonly database: Database) {}

  async get(keys: readonly string[]): Promise<ThrottleRecord[]> {
    if (keys.length === 0) return [];
    const rows = await this.database.db.selectFrom('login_throttle').selectAll().where('key', 'in', keys).execute();
    return rows.map((r) => ({
      key: r.key,
      failures: r.failures,
      windowStartedAt: r.window_started_at,
      lockedUntil: r.locked_until,
    }));
  }

  async put(record: ThrottleRecord): Promise<void> {
    await this.database.db
      .insertInto('login_throttle')
      .values({
        key: record.key,
        failures: record.failures,
        window_started_at: record.windowStartedAt,
        locked_until: record.lockedUntil,
      })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: record.failures,
          window_started_at: record.windowStartedAt,
          locked_until: record.lockedUntil,
        }),
      )
      .execute();
  }

  /** Forgets keys whose counting window started before `windowStartedBefore` and that are not locked at `now`. */
  async deleteStale(windowStartedBefore: string, now: string): Promise<number> {
    const result = await this.database.db
      .deleteFrom('login_throttle')
      .where('window_started_at', '<', windowStartedBefore)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.database.db.deleteFrom('login_throttle').where('key', 'in', keys).execute();
  }
}
