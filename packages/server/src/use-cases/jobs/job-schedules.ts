import { type JobKind, type JobTask, type Model, validateJobRequest } from '@ordo/core';
import type { Clock } from '../../clock.ts';
import { nextCronRun, parseCron } from '../../jobs/job-runner.ts';
import type { JobSchedule } from '../../storage/job-store.ts';
import type { Stores } from '../../storage/stores.ts';
import type { AppliedModelCache } from '../applied-model-cache.ts';
import { UseCaseError } from '../use-case-error.ts';

export interface ScheduleDeps {
  readonly stores: Pick<Stores, 'jobs' | 'audit' | 'transaction'>;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly models: Pick<AppliedModelCache, 'current'>;
}

export interface ScheduleInput {
  readonly name: string;
  /** Five or six fields, UTC. */
  readonly cron: string;
  readonly kind: JobKind;
  readonly task?: JobTask | null;
  readonly connector?: string | null;
  readonly enabled?: boolean;
}

export type SchedulePatch = Partial<ScheduleInput>;

/** Every problem of a schedule at once: its cron expression and the job it launches. */
function validate(model: Pick<Model, 'connectors'>, input: ScheduleInput): void {
  const errors = validateJobRequest(input, Object.keys(model.connectors));
  try {
    parseCron(input.cron);
  } catch (error) {
    errors.push({ path: 'cron', message: error instanceof Error ? error.message : String(error) });
  }
  if (input.name.trim() === '') errors.push({ path: 'name', message: 'a schedule needs a name' });
  if (errors.length) {
    throw new UseCaseError(
      'invalid',
      'JOB_SCHEDULE_INVALID',
      `the schedule is not valid: ${errors.length} problem(s)`,
      {
        errors,
      },
    );
  }
}

export function listSchedules(deps: { stores: Pick<Stores, 'jobs'> }): Promise<JobSchedule[]> {
  return deps.stores.jobs.listSchedules();
}

export async function createSchedule(deps: ScheduleDeps, input: ScheduleInput, actor: string): Promise<JobSchedule> {
  validate((await deps.models.current()).model, input);
  const now = deps.clock.now();
  const enabled = input.enabled ?? true;
  const schedule: JobSchedule = {
    id: deps.newId(),
    name: input.name.trim(),
    cron: input.cron,
    kind: input.kind,
    task: input.kind === 'task' ? (input.task ?? null) : null,
    connector: input.connector ?? null,
    enabled,
    nextRunAt: enabled ? nextCronRun(input.cron, now) : null,
    lastRunAt: null,
    lastJobId: null,
    createdBy: actor,
    createdAt: now,
  };
  await deps.stores.transaction(async (tx) => {
    await tx.jobs.insertSchedule(schedule);
    await tx.audit.record({
      at: now,
      actor,
      action: 'job_schedule.created',
      targetKind: 'job_schedule',
      targetId: schedule.id,
      after: schedule,
    });
  });
  return schedule;
}

export async function updateSchedule(
  deps: ScheduleDeps,
  id: string,
  patch: SchedulePatch,
  actor: string,
): Promise<JobSchedule> {
  const now = deps.clock.now();
  // Read before the transaction: on SQLite a read outside it would wait for it to end.
  const { model } = await deps.models.current();
  return deps.stores.transaction(async (tx) => {
    const before = await tx.jobs.getSchedule(id);
    if (!before) throw new UseCaseError('not_found', 'JOB_SCHEDULE_NOT_FOUND', `schedule ${id} does not exist`);
    const merged: ScheduleInput = {
      name: patch.name ?? before.name,
      cron: patch.cron ?? before.cron,
      kind: patch.kind ?? before.kind,
      task: patch.task !== undefined ? patch.task : before.task,
      connector: patch.connector !== undefined ? patch.connector : before.connector,
      enabled: patch.enabled ?? before.enabled,
    };
    validate(model, merged);
    const enabled = merged.enabled ?? true;
    const timingChanged = merged.cron !== before.cron || enabled !== before.enabled;
    const after: JobSchedule = {
      ...before,
      name: merged.name.trim(),
      cron: merged.cron,
      kind: merged.kind,
      task: merged.kind === 'task' ? (merged.task ?? null) : null,
      connector: merged.connector ?? null,
      enabled,
      nextRunAt: !enabled ? null : timingChanged ? nextCronRun(merged.cron, now) : before.nextRunAt,
    };
    await tx.jobs.updateSchedule(after);
    await tx.audit.record({
      at: now,
      actor,
      action: 'job_schedule.updated',
      targetKind: 'job_schedule',
      targetId: id,
      before,
      after,
    });
    return after;
  });
}

export async function deleteSchedule(
  deps: Omit<ScheduleDeps, 'models' | 'newId'>,
  id: string,
  actor: string,
): Promise<void> {
  const now = deps.clock.now();
  await deps.stores.transaction(async (tx) => {
    const before = await tx.jobs.getSchedule(id);
    if (!before || !(await tx.jobs.deleteSchedule(id))) {
      throw new UseCaseError('not_found', 'JOB_SCHEDULE_NOT_FOUND', `schedule ${id} does not exist`);
    }
    await tx.audit.record({
      at: now,
      actor,
      action: 'job_schedule.deleted',
      targetKind: 'job_schedule',
      targetId: id,
      before,
    });
  });
}
