import { randomUUID } from 'node:crypto';
import {
  type Cause,
  describeJob,
  type JobExportRequest,
  type JobRequest,
  type JobStep,
  jobLockScopes,
  jobTransition,
  type Model,
  planJob,
  validateJobRequest,
} from '@ordo/core';
import { Cron } from 'croner';
import type { Clock } from '../clock.ts';
import { provisioningLockName, withClusterLock } from '../storage/cluster-lock.ts';
import type { JobLock, JobProgress, JobRecord } from '../storage/job-store.ts';
import type { Stores } from '../storage/stores.ts';
import type { AppliedModelCache } from '../use-cases/applied-model-cache.ts';
import { ComputeContext } from '../use-cases/compute-context.ts';
import { computeRoleModel } from '../use-cases/compute-role-model.ts';
import { handOffManualOrders } from '../use-cases/fulfilment/manual-orders.ts';
import { resumeSynchronization } from '../use-cases/fulfilment/synchronize-export.ts';
import { generateOrders } from '../use-cases/generate-orders.ts';
import { UseCaseError } from '../use-cases/use-case-error.ts';
import type { WorkSignal } from './work-signal.ts';

export interface JobRunnerDeps {
  readonly stores: Stores;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly models: Pick<AppliedModelCache, 'current'>;
  /** Wakes agents after the fulfil step queued their orders. */
  readonly signal: Pick<WorkSignal, 'notify'>;
  readonly log: (line: string) => void;
  /** This server process, written on its jobs and locks. */
  readonly node?: string;
  /** A lock lapses this long after its last heartbeat (default 30 s). */
  readonly lockTtlMs?: number;
  /** How often a running job renews its locks (default 5 s). */
  readonly heartbeatMs?: number;
  /** How often the scheduler looks for due schedules and lapsed locks (default 15 s; 0 = never). */
  readonly schedulerMs?: number;
  /** Called once a job failed or was interrupted (the notifications helper sends `notifyJobFailed`). */
  readonly onJobFailed?: (job: JobRecord) => Promise<void> | void;
  /** How long an export step waits for the agent's uploads (default 120 s). */
  readonly exportTimeoutMs?: number;
  /** How often an export step looks for the uploads (default 500 ms). */
  readonly exportPollMs?: number;
  /** Awaited before each step: a seam for tests that hold a job in its running state. */
  readonly beforeStep?: (job: JobRecord, step: JobStep) => Promise<void>;
}

/** Who launches a job: a person or token (`principal.actor`), or a schedule. */
export interface JobLauncher {
  readonly actor: string;
  readonly scheduleId?: string;
}

type StepOutcome =
  | { readonly status: 'done'; readonly outcome: Record<string, unknown> }
  | { readonly status: 'blocked'; readonly outcome: Record<string, unknown>; readonly message: string };

class JobStepError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A cron expression in UTC; throws on a bad one. */
export function parseCron(expression: string): Cron {
  return new Cron(expression, { paused: true, timezone: 'Etc/UTC' });
}

/**
 * The export requests of an agent serving `connectors`: one per running job waiting in its export
 * step and per connector of the job that the agent serves.
 */
export function exportRequestsFor(jobs: readonly JobRecord[], connectors: readonly string[]): JobExportRequest[] {
  return jobs.flatMap((job) =>
    connectors
      .filter((c) => job.connector === null || job.connector === c)
      .map((connector) => ({
        jobId: job.id,
        since: job.progress?.startedAt ?? job.createdAt,
        connector,
        mode: job.kind === 'incremental' ? ('incremental' as const) : ('complete' as const),
      })),
  );
}

export function nextCronRun(expression: string, after: string): string | null {
  return parseCron(expression).nextRun(new Date(after))?.toISOString() ?? null;
}

/**
 * Runs jobs (reference spec §4, §10): the task chain of a complete or incremental job, or one
 * task, for one connector or all. One job per connector at a time across every server process:
 * a job holds a `job_locks` row per connector, renewed by a heartbeat, so a crashed process's
 * lock lapses and its job is marked interrupted. Steps run in the background and record
 * progress, log lines and a result; a threshold blocks the job until a person resumes it. The
 * scheduler launches due cron schedules, each due time once across processes.
 */
export class JobRunner {
  readonly node: string;
  private readonly active = new Map<string, Promise<void>>();
  private readonly lost = new Set<string>();
  private scheduler: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly deps: JobRunnerDeps) {
    this.node = deps.node ?? `node-${randomUUID().slice(0, 8)}`;
  }

  /** Starts the scheduler timer. */
  start(): void {
    const every = this.deps.schedulerMs ?? 15_000;
    if (every <= 0 || this.scheduler) return;
    this.scheduler = setInterval(() => void this.tick(), every);
    this.scheduler.unref();
  }

  /** Stops the scheduler and waits for the jobs running here to end their current step. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.scheduler) clearInterval(this.scheduler);
    this.scheduler = null;
    await this.ticking;
    await this.idle();
  }

  /** Resolves when no job runs in this process (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active.values()]);
  }

  /**
   * Launches a job: takes the lock of each of its connectors (409 JOB_ALREADY_RUNNING with the
   * running job's id when one is taken, never queued), records it and runs it in the background.
   */
  async launch(request: JobRequest, launcher: JobLauncher): Promise<JobRecord> {
    const { model } = await this.deps.models.current();
    const connectors = Object.keys(model.connectors);
    const problems = validateJobRequest(request, connectors);
    if (problems.length) {
      throw new UseCaseError('invalid', 'JOB_INVALID', `the job cannot run: ${problems.length} problem(s)`, {
        errors: problems,
      });
    }
    const now = this.deps.clock.now();
    const id = this.deps.newId();
    const scopes = jobLockScopes(request, connectors);
    const launched = jobTransition(null, 'launched');
    if (!launched.ok) throw new UseCaseError('conflict', launched.code, launched.message);
    const job: JobRecord = {
      id,
      kind: request.kind,
      task: request.kind === 'task' ? (request.task ?? null) : null,
      connector: request.connector ?? null,
      status: launched.status,
      requestedBy: launcher.actor,
      scheduleId: launcher.scheduleId ?? null,
      node: this.node,
      createdAt: now,
      startedAt: now,
      finishedAt: null,
      heartbeatAt: now,
      progress: null,
      result: { steps: [] },
      error: null,
    };
    const interrupted = await this.deps.stores.transaction(async (tx) => {
      const lapsed = await this.takeLocks(tx, id, scopes, now);
      await tx.jobs.insert(job);
      await tx.audit.record({
        at: now,
        actor: launcher.actor,
        action: 'job.launched',
        targetKind: 'job',
        targetId: id,
        after: { kind: job.kind, task: job.task, connector: job.connector, scheduleId: job.scheduleId },
      });
      return lapsed;
    });
    await this.reportInterrupted(interrupted);
    await this.deps.stores.jobs.appendLog(id, now, 'info', `${describeJob(request)} launched by ${launcher.actor}`);
    this.runInBackground(job, 0, false);
    return job;
  }

  /** A person lets a job blocked by a threshold go on: the blocked step runs again, forced. */
  async resume(jobId: string, actor: string): Promise<JobRecord> {
    const now = this.deps.clock.now();
    // Read before the transaction: on SQLite a read outside it would wait for it to end.
    const { model } = await this.deps.models.current();
    const { job, interrupted } = await this.deps.stores.transaction(async (tx) => {
      const current = await tx.jobs.get(jobId);
      if (!current) throw new UseCaseError('not_found', 'JOB_NOT_FOUND', `job ${jobId} does not exist`);
      const next = jobTransition(current.status, 'resumed');
      if (!next.ok) {
        throw new UseCaseError(
          'conflict',
          'JOB_NOT_BLOCKED',
          `job ${jobId} is ${current.status}: only a blocked job resumes`,
        );
      }
      const scopes = jobLockScopes(current, Object.keys(model.connectors));
      const lapsed = await this.takeLocks(tx, jobId, scopes, now);
      if (!(await tx.jobs.setStatus(jobId, 'blocked', next.status, { at: now, node: this.node }))) {
        throw new UseCaseError('conflict', 'JOB_NOT_BLOCKED', `job ${jobId} was resumed by someone else`);
      }
      await tx.audit.record({
        at: now,
        actor,
        action: 'job.resumed',
        targetKind: 'job',
        targetId: jobId,
        before: { status: current.status, blockedStep: current.result?.blockedStep ?? null },
        after: { status: next.status },
      });
      return { job: { ...current, status: next.status, node: this.node }, interrupted: lapsed };
    });
    await this.reportInterrupted(interrupted);
    await this.deps.stores.jobs.appendLog(jobId, now, 'info', `resumed by ${actor}`);
    const plan = planJob(job);
    const from = job.result?.blockedStep ?? 0;
    if (plan[from]?.task === 'synchronize' && plan[from - 1]?.task === 'export') {
      // Let the blocked synchronizations through, then export again: the new upload is applied.
      for (const b of await this.blockedSynchronizations(model, job)) {
        await resumeSynchronization({ stores: this.deps.stores }, b.connection, b.entityType, actor);
      }
      this.runInBackground(job, from - 1, false);
    } else {
      this.runInBackground(job, from, true);
    }
    return job;
  }

  /**
   * One scheduler round: jobs whose process stopped beating are marked interrupted, and due
   * schedules are launched (each due time claimed by compare-and-set, so once across processes).
   */
  tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = (async () => {
      try {
        await this.recoverLapsed();
        await this.launchDueSchedules();
      } catch (error) {
        this.deps.log(`job scheduler failed: ${messageOf(error)}`);
      } finally {
        this.ticking = null;
      }
    })();
    return this.ticking;
  }

  /** Marks the jobs of lapsed locks interrupted and frees their connectors. */
  async recoverLapsed(): Promise<number> {
    const now = this.deps.clock.now();
    const lapsed = await this.deps.stores.jobs.lapsedLocks(now);
    const interrupted: JobRecord[] = [];
    for (const lock of lapsed) {
      const job = await this.deps.stores.transaction(async (tx) => {
        if (!(await tx.jobs.dropLapsed(lock))) return null;
        return this.interrupt(tx, lock, now);
      });
      if (job) interrupted.push(job);
    }
    await this.reportInterrupted(interrupted);
    return interrupted.length;
  }

  private async launchDueSchedules(): Promise<void> {
    const now = this.deps.clock.now();
    for (const schedule of await this.deps.stores.jobs.dueSchedules(now)) {
      if (this.closed || schedule.nextRunAt === null) return;
      let next: string | null;
      try {
        next = nextCronRun(schedule.cron, now);
      } catch {
        next = null;
      }
      if (!(await this.deps.stores.jobs.claimRun(schedule.id, schedule.nextRunAt, next, now))) continue;
      try {
        const job = await this.launch(
          { kind: schedule.kind, task: schedule.task, connector: schedule.connector },
          { actor: `schedule:${schedule.id}`, scheduleId: schedule.id },
        );
        await this.deps.stores.jobs.setLastJob(schedule.id, job.id);
      } catch (error) {
        this.deps.log(`schedule ${schedule.name} (${schedule.id}) did not launch: ${messageOf(error)}`);
      }
    }
  }

  /**
   * Takes every scope for a job inside the caller's transaction. A scope held by a live job
   * refuses (the transaction rolls back the scopes already taken); a lapsed one is taken over
   * and its job marked interrupted.
   */
  private async takeLocks(tx: Stores, jobId: string, scopes: readonly string[], now: string): Promise<JobRecord[]> {
    const expiresAt = this.expiry(now);
    const interrupted: JobRecord[] = [];
    for (const scope of scopes) {
      const lock: JobLock = { scope, jobId, node: this.node, expiresAt };
      const attempt = await tx.jobs.tryLock(lock);
      if (attempt.taken) continue;
      const holder = attempt.holder;
      if (holder.expiresAt >= now) {
        throw new UseCaseError(
          'conflict',
          'JOB_ALREADY_RUNNING',
          `job ${holder.jobId} is already running for connector ${scope}: wait for it or follow it at /api/jobs/${holder.jobId}`,
          { errors: [{ path: 'runningJobId', message: holder.jobId }] },
        );
      }
      if (!(await tx.jobs.takeOver(holder, lock))) {
        throw new UseCaseError('conflict', 'JOB_ALREADY_RUNNING', `another job just took connector ${scope}`);
      }
      const job = await this.interrupt(tx, holder, now);
      if (job) interrupted.push(job);
    }
    return interrupted;
  }

  private async interrupt(tx: Stores, lock: JobLock, now: string): Promise<JobRecord | null> {
    const next = jobTransition('running', 'node_lost');
    if (!next.ok) return null;
    const error = `server process ${lock.node} stopped renewing its lock (expired ${lock.expiresAt}): the job was interrupted`;
    if (!(await tx.jobs.setStatus(lock.jobId, 'running', next.status, { at: now, finished: true, error }))) return null;
    await tx.jobs.releaseLocks(lock.jobId);
    await tx.jobs.appendLog(lock.jobId, now, 'error', error);
    await tx.audit.record({
      at: now,
      actor: 'system',
      action: 'job.interrupted',
      targetKind: 'job',
      targetId: lock.jobId,
      before: { status: 'running', node: lock.node },
      after: { status: next.status },
    });
    return (await tx.jobs.get(lock.jobId)) ?? null;
  }

  private async reportInterrupted(jobs: readonly JobRecord[]): Promise<void> {
    for (const job of jobs) await this.failed(job);
  }

  private async failed(job: JobRecord): Promise<void> {
    if (!this.deps.onJobFailed) return;
    try {
      await this.deps.onJobFailed(job);
    } catch (error) {
      this.deps.log(`job failure hook failed for ${job.id}: ${messageOf(error)}`);
    }
  }

  private expiry(now: string): string {
    return new Date(Date.parse(now) + (this.deps.lockTtlMs ?? 30_000)).toISOString();
  }

  private runInBackground(job: JobRecord, from: number, resumed: boolean): void {
    const heartbeat = setInterval(() => void this.beat(job.id), this.deps.heartbeatMs ?? 5_000);
    heartbeat.unref();
    const run = this.execute(job, from, resumed)
      .catch((error) => this.deps.log(`job ${job.id} could not record its end: ${messageOf(error)}`))
      .finally(() => {
        clearInterval(heartbeat);
        this.active.delete(job.id);
        this.lost.delete(job.id);
      });
    this.active.set(job.id, run);
  }

  private async beat(jobId: string): Promise<void> {
    try {
      const held = await this.deps.stores.jobs.renewLocks(jobId, this.node, this.expiry(this.deps.clock.now()));
      if (held === 0) this.lost.add(jobId);
    } catch (error) {
      this.deps.log(`heartbeat of job ${jobId} failed: ${messageOf(error)}`);
    }
  }

  private async execute(job: JobRecord, from: number, resumed: boolean): Promise<void> {
    const { stores, clock } = this.deps;
    const plan = planJob(job);
    const steps = [...(job.result?.steps ?? [])].slice(0, from);
    const log = (level: 'info' | 'warn' | 'error', message: string) =>
      stores.jobs.appendLog(job.id, clock.now(), level, message);
    try {
      for (let index = from; index < plan.length; index += 1) {
        const step = plan[index] as JobStep;
        await this.deps.beforeStep?.(job, step);
        if (this.lost.has(job.id)) throw new JobStepError('JOB_LOCK_LOST', 'this server lost the job lock');
        const stepStartedAt = clock.now();
        const progress = (done: number, total: number): JobProgress => ({
          step: step.task,
          stepIndex: index + 1,
          steps: plan.length,
          done,
          total,
          startedAt: stepStartedAt,
        });
        await stores.jobs.saveProgress(job.id, this.node, progress(0, 0), { steps }, stepStartedAt);
        await log('info', `step ${index + 1}/${plan.length}: ${describeStep(step)}`);
        const outcome = await this.runStep(job, step, resumed && index === from, stepStartedAt, (done, total) => {
          void stores.jobs.saveProgress(job.id, this.node, progress(done, total), undefined, clock.now());
        });
        steps.push({ task: step.task, outcome: outcome.outcome });
        if (outcome.status === 'blocked') {
          const next = jobTransition('running', 'threshold_exceeded');
          if (!next.ok) throw new Error(next.message);
          await log('warn', outcome.message);
          await stores.transaction(async (tx) => {
            if (
              await tx.jobs.setStatus(job.id, 'running', next.status, {
                at: clock.now(),
                result: { steps, blockedStep: index },
                error: outcome.message,
              })
            ) {
              await tx.jobs.releaseLocks(job.id);
            }
          });
          return;
        }
        await stores.jobs.saveProgress(job.id, this.node, progress(1, 1), { steps }, clock.now());
        await log('info', `step ${step.task} done: ${summarize(outcome.outcome)}`);
      }
      const next = jobTransition('running', 'succeeded');
      if (!next.ok) throw new Error(next.message);
      await stores.transaction(async (tx) => {
        if (
          await tx.jobs.setStatus(job.id, 'running', next.status, {
            at: clock.now(),
            finished: true,
            result: { steps },
            error: null,
          })
        ) {
          await tx.jobs.releaseLocks(job.id);
        }
      });
      await log('info', 'job completed');
    } catch (error) {
      const message = error instanceof JobStepError ? `${error.code}: ${error.message}` : messageOf(error);
      const next = jobTransition('running', 'failed');
      if (!next.ok) throw new Error(next.message);
      const changed = await stores.transaction(async (tx) => {
        const ok = await tx.jobs.setStatus(job.id, 'running', next.status, {
          at: clock.now(),
          finished: true,
          result: { steps },
          error: message,
        });
        if (ok) await tx.jobs.releaseLocks(job.id);
        return ok;
      });
      await log('error', `job failed: ${message}`);
      this.deps.log(`job ${job.id} (${describeJob(job)}) failed: ${message}`);
      if (changed) {
        const failed = await stores.jobs.get(job.id);
        if (failed) await this.failed(failed);
      }
    }
  }

  private async runStep(
    job: JobRecord,
    step: JobStep,
    resumed: boolean,
    startedAt: string,
    onProgress: (done: number, total: number) => void,
  ): Promise<StepOutcome> {
    const { stores, clock } = this.deps;
    const { model } = await this.deps.models.current();
    const cause: Cause = { kind: 'job', id: job.id };
    switch (step.task) {
      case 'export':
        return this.exportStep(model, job, startedAt);
      case 'synchronize':
        return this.synchronizeStep(model, job, resumed);
      case 'compute': {
        // The event-driven pipeline computes and generates too: one at a time, across nodes.
        const summary = await withClusterLock(stores.database, provisioningLockName, () =>
          computeRoleModel({ stores, clock }, ComputeContext.create(model, stores), {
            scope: { kind: step.mode },
            cause,
            onProgress,
          }),
        );
        if (summary.errors.length) {
          for (const e of summary.errors.slice(0, 20)) {
            await stores.jobs.appendLog(job.id, clock.now(), 'warn', `${e.ownerId}, rule ${e.ruleId}: ${e.message}`);
          }
        }
        return {
          status: 'done',
          outcome: {
            mode: step.mode,
            identities: summary.identities,
            assignmentsWritten: summary.assignmentsWritten,
            assignmentsRemoved: summary.assignmentsRemoved,
            stateChanges: summary.stateChanges,
            errors: summary.errors.length,
          },
        };
      }
      case 'generate': {
        const result = await withClusterLock(stores.database, provisioningLockName, async () => {
          const first = await generateOrders({ stores, clock }, model, {
            cause,
            newId: this.deps.newId,
            resume: resumed,
          });
          return first.status === 'nothing_to_resume'
            ? generateOrders({ stores, clock }, model, { cause, newId: this.deps.newId })
            : first;
        });
        if (result.status === 'blocked') {
          const exceeded = result.verdicts.filter((v) => v.exceeded);
          return {
            status: 'blocked',
            outcome: { runId: result.runId, verdicts: result.verdicts },
            message: `order generation ${result.runId} is blocked by ${exceeded.length} threshold(s): ${exceeded
              .map(
                (v) =>
                  `${v.resourceTypeId} ${v.changeType} ${v.count} > ${v.limit}${v.kind === 'percent' ? ` (${v.percent} % of ${v.population})` : ''}`,
              )
              .join(', ')}; a person must resume the job`,
          };
        }
        if (result.status !== 'completed') return { status: 'done', outcome: {} };
        return {
          status: 'done',
          outcome: {
            runId: result.runId,
            orders: result.orders.length,
            held: result.held.length,
            inactive: result.inactive,
            forced: resumed,
          },
        };
      }
      case 'fulfil': {
        const manual = await handOffManualOrders({ stores, clock }, model, cause);
        this.deps.signal.notify();
        return { status: 'done', outcome: { manualOrdersQueued: manual, agentsWoken: true } };
      }
    }
  }

  /**
   * The server holds no credentials: it asks the agents serving the job's connectors to export
   * now (they find the request through `exportRequests` of the agent protocol, while this step
   * runs) and waits until every target of the job has a synchronization run (completed, or
   * blocked by thresholds, which the synchronize step then reports) started since the step began.
   */
  private async exportStep(model: Model, job: JobRecord, since: string): Promise<StepOutcome> {
    const { stores } = this.deps;
    const targets = exportTargets(model, job.connector);
    if (targets.length === 0) return { status: 'done', outcome: { exported: 0, note: 'nothing to export' } };
    const timeoutMs = this.deps.exportTimeoutMs ?? 120_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pending: typeof targets = [];
      const runs: { entityType: string; connection: string; status: string; runId: string }[] = [];
      for (const target of targets) {
        const latest = [
          await stores.sync.latest(target.connection, target.entityType, 'completed'),
          await stores.sync.latest(target.connection, target.entityType, 'blocked'),
        ].filter((r) => r !== undefined && r.startedAt >= since);
        const run = latest[0];
        if (run)
          runs.push({
            entityType: target.entityType,
            connection: target.connection,
            status: run.status,
            runId: run.id,
          });
        else pending.push(target);
      }
      if (pending.length === 0) return { status: 'done', outcome: { exported: runs.length, runs } };
      if (this.closed) throw new JobStepError('JOB_STOPPED', 'the server stopped while the job waited for its export');
      if (this.lost.has(job.id)) throw new JobStepError('JOB_LOCK_LOST', 'this server lost the job lock');
      if (Date.now() >= deadline) {
        const agents = [...new Set(pending.map((t) => t.agent))].join(', ');
        throw new JobStepError(
          'JOB_EXPORT_TIMEOUT',
          `agent ${agents} did not export ${pending.map((t) => `${t.entityType} from ${t.connection}`).join(', ')} within ${Math.round(timeoutMs / 1000)} s: is it running, with a version that serves export requests?`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.deps.exportPollMs ?? 500));
    }
  }

  /**
   * Synchronization runs when an agent uploads an export. This step checks what the last one of
   * each of the job's targets did: one blocked by thresholds blocks the job; a resume lets the
   * next export of that target through.
   */
  /** The job's targets whose last synchronization is blocked by thresholds (none completed since). */
  private async blockedSynchronizations(
    model: Model,
    job: JobRecord,
  ): Promise<{ connection: string; entityType: string; runId: string }[]> {
    const { stores } = this.deps;
    const blocked: { connection: string; entityType: string; runId: string }[] = [];
    for (const target of exportTargets(model, job.connector)) {
      const lastBlocked = await stores.sync.latest(target.connection, target.entityType, 'blocked');
      const lastDone = await stores.sync.latest(target.connection, target.entityType, 'completed');
      if (lastBlocked && (!lastDone || lastBlocked.startedAt > lastDone.startedAt)) {
        blocked.push({ connection: target.connection, entityType: target.entityType, runId: lastBlocked.id });
      }
    }
    return blocked;
  }

  private async synchronizeStep(model: Model, job: JobRecord, resumed: boolean): Promise<StepOutcome> {
    const { stores } = this.deps;
    const blocked = await this.blockedSynchronizations(model, job);
    const completed = exportTargets(model, job.connector).length - blocked.length;
    if (blocked.length && resumed) {
      for (const b of blocked) await resumeSynchronization({ stores }, b.connection, b.entityType, `job:${job.id}`);
      return {
        status: 'done',
        outcome: { resumed: blocked, note: 'the next export of each resumed target goes through its thresholds' },
      };
    }
    if (blocked.length) {
      return {
        status: 'blocked',
        outcome: { blocked },
        message: `synchronization blocked by thresholds for ${blocked
          .map((b) => `${b.entityType} from ${b.connection}`)
          .join(', ')}: a person must resume the job`,
      };
    }
    return { status: 'done', outcome: { targetsSynchronized: completed } };
  }
}

function exportTargets(
  model: Model,
  connector: string | null,
): { connector: string; agent: string; connection: string; entityType: string }[] {
  const connectors = connector
    ? [model.connectors[connector]].filter((c) => c !== undefined)
    : Object.values(model.connectors);
  return connectors.flatMap((c) =>
    Object.values(c.connections)
      .filter((conn) => conn.kind !== 'manual' && conn.disabled !== 'export')
      .flatMap((conn) =>
        c.entityTypes.map((entityType) => ({
          connector: c.id,
          agent: c.agent || 'local',
          connection: conn.id,
          entityType,
        })),
      ),
  );
}

function describeStep(step: JobStep): string {
  return 'mode' in step ? `${step.task} (${step.mode})` : step.task;
}

function summarize(outcome: Record<string, unknown>): string {
  return Object.entries(outcome)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
