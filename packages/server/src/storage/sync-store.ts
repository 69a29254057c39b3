import type { Selectable } from 'kysely';
import type { Database } from './database.ts';
import { fromJson, toJson, toNumber } from './row-codec.ts';
import type { SyncRunsTable } from './schema.ts';

/** A synchronization's counts checked against the connector's thresholds. */
export interface SyncVerdict {
  readonly change: 'inserted' | 'updated' | 'deleted';
  readonly count: number;
  /** The lower of the absolute and percentage limits; null when none applies. */
  readonly limit: number | null;
  readonly exceeded: boolean;
}

export type SyncRunStatus = 'completed' | 'blocked' | 'resumed' | 'consumed';

export interface SyncRun {
  readonly id: string;
  readonly connector: string;
  readonly connection: string;
  readonly entityType: string;
  readonly mode: 'complete' | 'incremental';
  readonly status: SyncRunStatus;
  readonly inserted: number;
  readonly updated: number;
  readonly deleted: number;
  readonly verdicts: readonly SyncVerdict[];
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly resumedBy: string | null;
}

/** Export cookies per connection and entity type, and the record of synchronization runs. */
export class SyncStore {
  constructor(private readonly database: Database) {}

  async cookie(connection: string, entityType: string): Promise<string | null> {
    const row = await this.database.db
      .selectFrom('sync_states')
      .select('cookie')
      .where('connection', '=', connection)
      .where('entity_type', '=', entityType)
      .executeTakeFirst();
    return row?.cookie ?? null;
  }

  async saveState(state: {
    connector: string;
    connection: string;
    entityType: string;
    cookie: string | null;
    at: string;
    complete: boolean;
  }): Promise<void> {
    const row = {
      connection: state.connection,
      entity_type: state.entityType,
      connector: state.connector,
      cookie: state.cookie,
      last_sync_at: state.at,
      last_complete_at: state.complete ? state.at : null,
    };
    await this.database.db
      .insertInto('sync_states')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['connection', 'entity_type']).doUpdateSet((eb) => ({
          cookie: eb.ref('excluded.cookie'),
          last_sync_at: eb.ref('excluded.last_sync_at'),
          last_complete_at: state.complete
            ? eb.ref('excluded.last_complete_at')
            : eb.ref('sync_states.last_complete_at'),
        })),
      )
      .execute();
  }

  async record(run: SyncRun): Promise<void> {
    await this.database.db
      .insertInto('sync_runs')
      .values({
        id: run.id,
        connector: run.connector,
        connection: run.connection,
        entity_type: run.entityType,
        mode: run.mode,
        status: run.status,
        inserted: run.inserted,
        updated: run.updated,
        deleted: run.deleted,
        verdicts: toJson(run.verdicts),
        started_at: run.startedAt,
        finished_at: run.finishedAt,
        resumed_by: run.resumedBy,
      })
      .execute();
  }

  /** The latest run of a connection's entity type with this status, if any. */
  async latest(connection: string, entityType: string, status: SyncRunStatus): Promise<SyncRun | undefined> {
    const row = await this.database.db
      .selectFrom('sync_runs')
      .selectAll()
      .where('connection', '=', connection)
      .where('entity_type', '=', entityType)
      .where('status', '=', status)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row && fromRow(row);
  }

  /** Compare-and-set of a run's status (blocked → resumed by a person, resumed → consumed by a sync). */
  async setStatus(id: string, from: SyncRunStatus, to: SyncRunStatus, resumedBy?: string): Promise<boolean> {
    const result = await this.database.db
      .updateTable('sync_runs')
      .set({ status: to, ...(resumedBy ? { resumed_by: resumedBy } : {}) })
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return toNumber(result.numUpdatedRows) === 1;
  }

  async list(limit: number): Promise<SyncRun[]> {
    const rows = await this.database.db
      .selectFrom('sync_runs')
      .selectAll()
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(fromRow);
  }
}

function fromRow(row: Selectable<SyncRunsTable>): SyncRun {
  return {
    id: row.id,
    connector: row.connector,
    connection: row.connection,
    entityType: row.entity_type,
    mode: row.mode === 'incremental' ? 'incremental' : 'complete',
    status: row.status as SyncRunStatus,
    inserted: toNumber(row.inserted),
    updated: toNumber(row.updated),
    deleted: toNumber(row.deleted),
    verdicts: fromJson<SyncVerdict[]>(row.verdicts, `sync_runs row ${row.id}, column verdicts`),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    resumedBy: row.resumed_by,
  };
}
