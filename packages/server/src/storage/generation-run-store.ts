import type { ChangeType, ThresholdVerdict } from '@ordo/core';
import type { Database } from './database.ts';
import { asOneOf, fromJson, toJson, toNumber } from './row-codec.ts';
import type { GenerationRunsTable } from './schema.ts';

export type GenerationRunStatus = 'running' | 'blocked' | 'completed' | 'resumed';

/** One threshold check result, as stored: core's verdict, unchanged. */
export type StoredThresholdVerdict = ThresholdVerdict;

/** Orders per resource type, per change type (core's `countOrders` shape). */
export type RunOrderCounts = Readonly<Record<string, Readonly<Record<ChangeType, number>>>>;

/** One run of order generation: thresholds may block it until a person resumes it. */
export interface GenerationRun {
  readonly id: string;
  readonly status: GenerationRunStatus;
  readonly startedAt: string;
  readonly blockedAt: string | null;
  readonly resumedAt: string | null;
  readonly resumedBy: string | null;
  readonly finishedAt: string | null;
  readonly verdicts: readonly StoredThresholdVerdict[];
  readonly counts: RunOrderCounts;
}

const statuses: readonly GenerationRunStatus[] = ['running', 'blocked', 'completed', 'resumed'];

/**
 * Generation runs. Status changes are compare-and-set (running → blocked → resumed → completed,
 * or running → completed): each returns false when the run is not in the expected status, so a
 * double click or two servers cannot resume or finish a run twice.
 */
export class GenerationRunStore {
  constructor(private readonly database: Database) {}

  async start(run: { id: string; startedAt: string }): Promise<GenerationRun> {
    const row: GenerationRunsTable = {
      id: run.id,
      started_at: run.startedAt,
      finished_at: null,
      blocked_at: null,
      resumed_at: null,
      resumed_by: null,
      status: 'running',
      verdicts: '[]',
      counts: '{}',
    };
    await this.database.db.insertInto('generation_runs').values(row).execute();
    return fromRow(row);
  }

  /** running → blocked, keeping the verdicts that blocked it. */
  async block(id: string, verdicts: readonly StoredThresholdVerdict[], at: string): Promise<boolean> {
    return this.move(id, ['running'], { status: 'blocked', verdicts: toJson(verdicts), blocked_at: at });
  }

  /** blocked → resumed: a person accepted the exceeded thresholds. */
  async resume(id: string, by: { at: string; by: string }): Promise<boolean> {
    return this.move(id, ['blocked'], { status: 'resumed', resumed_at: by.at, resumed_by: by.by });
  }

  /** running or resumed → completed, with the run's order counts (and verdicts, if checked). */
  async finish(
    id: string,
    result: { at: string; counts: RunOrderCounts; verdicts?: readonly StoredThresholdVerdict[] },
  ): Promise<boolean> {
    return this.move(id, ['running', 'resumed'], {
      status: 'completed',
      finished_at: result.at,
      counts: toJson(result.counts),
      ...(result.verdicts ? { verdicts: toJson(result.verdicts) } : {}),
    });
  }

  async get(id: string): Promise<GenerationRun | undefined> {
    const row = await this.database.db
      .selectFrom('generation_runs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  /** The most recently started run still waiting for a person. */
  async latestBlocked(): Promise<GenerationRun | undefined> {
    const row = await this.database.db
      .selectFrom('generation_runs')
      .selectAll()
      .where('status', '=', 'blocked')
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  private async move(
    id: string,
    from: readonly GenerationRunStatus[],
    set: Partial<Omit<GenerationRunsTable, 'id'>>,
  ): Promise<boolean> {
    const result = await this.database.db
      .updateTable('generation_runs')
      .set(set)
      .where('id', '=', id)
      .where('status', 'in', from)
      .executeTakeFirst();
    return toNumber(result.numUpdatedRows) === 1;
  }
}

function fromRow(row: GenerationRunsTable): GenerationRun {
  const where = (column: string) => `generation_runs row ${row.id}, column ${column}`;
  return {
    id: row.id,
    status: asOneOf(row.status, statuses, where('status')),
    startedAt: row.started_at,
    blockedAt: row.blocked_at,
    resumedAt: row.resumed_at,
    resumedBy: row.resumed_by,
    finishedAt: row.finished_at,
    verdicts: fromJson(row.verdicts, where('verdicts')),
    counts: fromJson(row.counts, where('counts')),
  };
}
