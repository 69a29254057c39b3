import type { JobKind, JobStatus, JobTask } from '@ordo/core';
import type { Database } from './database.ts';
import { olderThan } from './newest-first.ts';
import type { JobSchedulesTable, JobsTable } from './schema.ts';

export interface JobProgress {
  /** The step running (or last run), e.g. `compute`. */
  readonly step: string;
  /** 1-based position of the step in the job's plan, and the plan's length. */
  readonly stepIndex: number;
  readonly steps: number;
  readonly done: number;
  readonly total: number;
  /** When the step began (an export request is identified by it). */
  readonly startedAt?: string;
}

export interface JobRecord {
  readonly id: string;
  readonly kind: JobKind;
  readonly task: JobTask | null;
  readonly connector: string | null;
  readonly status: JobStatus;
  readonly requestedBy: string;
  readonly scheduleId: string | null;
  readonly node: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly heartbeatAt: string | null;
  readonly progress: JobProgress | null;
  /** What each step did, by step index, plus `blockedStep` while blocked. */
  readonly result: JobResult | null;
  readonly error: string | null;
}

export interface JobResult {
  readonly steps: readonly { readonly task: string; readonly outcome: Readonly<Record<string, unknown>> }[];
  /** Set while the job is blocked: the index of the step a resume continues with. */
  readonly blockedStep?: number;
}

export interface JobLogLine {
  readonly id: number;
  readonly jobId: string;
  readonly at: string;
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
}

export interface JobSchedule {
  readonly id: string;
  readonly name: string;
  readonly cron: string;
  readonly kind: JobKind;
  readonly task: JobTask | null;
  readonly connector: string | null;
  readonly enabled: boolean;
  readonly nextRunAt: string | null;
  readonly lastRunAt: string | null;
  readonly lastJobId: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
}

export interface JobLock {
  readonly scope: string;
  readonly jobId: string;
  readonly node: string;
  readonly expiresAt: string;
}

/**
 * Jobs, their log lines, schedules and the per-connector locks. Every status change is a
 * compare-and-set on the current status, so two processes acting at once give one result.
 */
export class JobStore {
  constructor(private readonly database: Database) {}

  async insert(job: JobRecord): Promise<void> {
    await this.database.db.insertInto('jobs').values(toJobRow(job)).execute();
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const row = await this.database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromJobRow(row) : undefined;
  }

  /** Newest first; `before` pages on (created_at, id). */
  async list(filter: {
    readonly status?: JobStatus;
    readonly connector?: string;
    readonly before?: { readonly createdAt: string; readonly id: string };
    readonly limit: number;
  }): Promise<JobRecord[]> {
    let query = this.database.db.selectFrom('jobs').selectAll();
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.connector) query = query.where('connector', '=', filter.connector);
    const before = filter.before;
    if (before) query = query.where(olderThan(before));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map(fromJobRow);
  }

  /** Running jobs whose current step is an export: agents serve them (the agent protocol). */
  async waitingForExport(): Promise<JobRecord[]> {
    const rows = await this.database.db
      .selectFrom('jobs')
      .selectAll()
      .where('status', '=', 'running')
      .where('progress', 'like', '{"step":"export",%')
      .execute();
    return rows.map(fromJobRow);
  }

  /** Compare-and-set of the status, with the columns that change with it. False when it moved on. */
  async setStatus(
    id: string,
    from: JobStatus,
    to: JobStatus,
    changes: {
      readonly at: string;
      readonly node?: string;
      readonly finished?: boolean;
      readonly result?: JobResult | null;
      readonly error?: string | null;
    },
  ): Promise<boolean> {
    const update: Partial<JobsTable> = { status: to, heartbeat_at: changes.at };
    if (changes.node !== undefined) update.node = changes.node;
    if (changes.finished) update.finished_at = changes.at;
    if (changes.result !== undefined) update.result = changes.result === null ? null : JSON.stringify(changes.result);
    if (changes.error !== undefined) update.error = changes.error;
    const done = await this.database.db
      .updateTable('jobs')
      .set(update)
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(done.numUpdatedRows) === 1;
  }

  /** Progress and partial results of a running job (only while it runs on `node`). */
  async saveProgress(
    id: string,
    node: string,
    progress: JobProgress,
    result: JobResult | undefined,
    at: string,
  ): Promise<void> {
    const update: Partial<JobsTable> = { progress: JSON.stringify(progress), heartbeat_at: at };
    if (result) update.result = JSON.stringify(result);
    await this.database.db
      .updateTable('jobs')
      .set(update)
      .where('id', '=', id)
      .where('node', '=', node)
      .where('status', '=', 'running')
      .execute();
  }

  async appendLog(jobId: string, at: string, level: JobLogLine['level'], message: string): Promise<void> {
    await this.database.db.insertInto('job_logs').values({ job_id: jobId, at, level, message }).execute();
  }

  async logs(jobId: string, options: { readonly afterId?: number; readonly limit: number }): Promise<JobLogLine[]> {
    let query = this.database.db.selectFrom('job_logs').selectAll().where('job_id', '=', jobId);
    if (options.afterId !== undefined) query = query.where('id', '>', options.afterId);
    const rows = await query.orderBy('id', 'asc').limit(options.limit).execute();
    return rows.map((r) => ({
      id: Number(r.id),
      jobId: r.job_id,
      at: r.at,
      level: r.level as JobLogLine['level'],
      message: r.message,
    }));
  }

  // --- locks ---

  /**
   * Takes a free lock scope for a job: a compare-and-set insert. Returns the lock that holds the
   * scope instead when it is taken (expired or not: the caller decides).
   */
  async tryLock(
    lock: JobLock,
  ): Promise<{ readonly taken: true } | { readonly taken: false; readonly holder: JobLock }> {
    const inserted = await this.database.db
      .insertInto('job_locks')
      .values({ scope: lock.scope, job_id: lock.jobId, node: lock.node, expires_at: lock.expiresAt })
      .onConflict((oc) => oc.column('scope').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { taken: true };
    const holder = await this.database.db
      .selectFrom('job_locks')
      .selectAll()
      .where('scope', '=', lock.scope)
      .executeTakeFirst();
    // Released between the insert and the read: try once more.
    if (!holder) return this.tryLock(lock);
    return {
      taken: false,
      holder: { scope: holder.scope, jobId: holder.job_id, node: holder.node, expiresAt: holder.expires_at },
    };
  }

  /** Takes over a lapsed lock: only if it is still held by the same job with the same expiry. */
  async takeOver(lapsed: JobLock, next: JobLock): Promise<boolean> {
    const done = await this.database.db
      .updateTable('job_locks')
      .set({ job_id: next.jobId, node: next.node, expires_at: next.expiresAt })
      .where('scope', '=', lapsed.scope)
      .where('job_id', '=', lapsed.jobId)
      .where('expires_at', '=', lapsed.expiresAt)
      .executeTakeFirst();
    return Number(done.numUpdatedRows) === 1;
  }

  /** The heartbeat: pushes the expiry of a job's locks. Returns how many it still holds. */
  async renewLocks(jobId: string, node: string, expiresAt: string): Promise<number> {
    const done = await this.database.db
      .updateTable('job_locks')
      .set({ expires_at: expiresAt })
      .where('job_id', '=', jobId)
      .where('node', '=', node)
      .executeTakeFirst();
    return Number(done.numUpdatedRows);
  }

  async releaseLocks(jobId: string): Promise<void> {
    await this.database.db.deleteFrom('job_locks').where('job_id', '=', jobId).execute();
  }

  /** Locks whose expiry passed: their node stopped beating. */
  async lapsedLocks(now: string): Promise<JobLock[]> {
    const rows = await this.database.db.selectFrom('job_locks').selectAll().where('expires_at', '<', now).execute();
    return rows.map((r) => ({ scope: r.scope, jobId: r.job_id, node: r.node, expiresAt: r.expires_at }));
  }

  /** Deletes one lapsed lock row, if it is still the one seen. */
  async dropLapsed(lock: JobLock): Promise<boolean> {
    const done = await this.database.db
      .deleteFrom('job_locks')
      .where('scope', '=', lock.scope)
      .where('job_id', '=', lock.jobId)
      .where('expires_at', '=', lock.expiresAt)
      .executeTakeFirst();
    return Number(done.numDeletedRows) === 1;
  }

  // --- schedules ---

  async insertSchedule(schedule: JobSchedule): Promise<void> {
    await this.database.db.insertInto('job_schedules').values(toScheduleRow(schedule)).execute();
  }

  async getSchedule(id: string): Promise<JobSchedule | undefined> {
    const row = await this.database.db.selectFrom('job_schedules').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromScheduleRow(row) : undefined;
  }

  async listSchedules(): Promise<JobSchedule[]> {
    const rows = await this.database.db.selectFrom('job_schedules').selectAll().orderBy('name').orderBy('id').execute();
    return rows.map(fromScheduleRow);
  }

  async updateSchedule(schedule: JobSchedule): Promise<void> {
    const { id, ...row } = toScheduleRow(schedule);
    await this.database.db.updateTable('job_schedules').set(row).where('id', '=', id).execute();
  }

  async deleteSchedule(id: string): Promise<boolean> {
    const done = await this.database.db.deleteFrom('job_schedules').where('id', '=', id).executeTakeFirst();
    return Number(done.numDeletedRows) === 1;
  }

  /** Enabled schedules whose next run is due. */
  async dueSchedules(now: string): Promise<JobSchedule[]> {
    const rows = await this.database.db
      .selectFrom('job_schedules')
      .selectAll()
      .where('enabled', '=', 1)
      .where('next_run_at', '<=', now)
      .orderBy('next_run_at')
      .execute();
    return rows.map(fromScheduleRow);
  }

  /**
   * Claims one due time of a schedule: a compare-and-set on next_run_at, so that of several
   * server processes ticking at once exactly one launches it.
   */
  async claimRun(id: string, dueAt: string, nextRunAt: string | null, at: string): Promise<boolean> {
    const done = await this.database.db
      .updateTable('job_schedules')
      .set({ next_run_at: nextRunAt, last_run_at: at })
      .where('id', '=', id)
      .where('next_run_at', '=', dueAt)
      .executeTakeFirst();
    return Number(done.numUpdatedRows) === 1;
  }

  async setLastJob(id: string, jobId: string): Promise<void> {
    await this.database.db.updateTable('job_schedules').set({ last_job_id: jobId }).where('id', '=', id).execute();
  }
}

function toJobRow(job: JobRecord): JobsTable {
  return {
    id: job.id,
    kind: job.kind,
    task: job.task,
    connector: job.connector,
    status: job.status,
    requested_by: job.requestedBy,
    schedule_id: job.scheduleId,
    node: job.node,
    created_at: job.createdAt,
    started_at: job.startedAt,
    finished_at: job.finishedAt,
    heartbeat_at: job.heartbeatAt,
    progress: job.progress ? JSON.stringify(job.progress) : null,
    result: job.result ? JSON.stringify(job.result) : null,
    error: job.error,
  };
}

function fromJobRow(row: JobsTable): JobRecord {
  return {
    id: row.id,
    kind: row.kind as JobKind,
    task: row.task as JobTask | null,
    connector: row.connector,
    status: row.status as JobStatus,
    requestedBy: row.requested_by,
    scheduleId: row.schedule_id,
    node: row.node,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    heartbeatAt: row.heartbeat_at,
    progress: row.progress ? (JSON.parse(row.progress) as JobProgress) : null,
    result: row.result ? (JSON.parse(row.result) as JobResult) : null,
    error: row.error,
  };
}

function toScheduleRow(s: JobSchedule): JobSchedulesTable {
  return {
    id: s.id,
    name: s.name,
    cron: s.cron,
    kind: s.kind,
    task: s.task,
    connector: s.connector,
    enabled: s.enabled ? 1 : 0,
    next_run_at: s.nextRunAt,
    last_run_at: s.lastRunAt,
    last_job_id: s.lastJobId,
    created_by: s.createdBy,
    created_at: s.createdAt,
  };
}

function fromScheduleRow(row: JobSchedulesTable): JobSchedule {
  return {
    id: row.id,
    name: row.name,
    cron: row.cron,
    kind: row.kind as JobKind,
    task: row.task as JobTask | null,
    connector: row.connector,
    enabled: Number(row.enabled) === 1,
    nextRunAt: row.next_run_at,
    lastRunAt: row.last_run_at,
    lastJobId: row.last_job_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}
