/**
 * The status of a job, as a table (house rule 2): state × event → state. `null` is "no job yet".
 * A job runs until it completes or fails; a threshold (synchronization or order generation)
 * blocks it until a person resumes it; a job whose server process died (its lock lapsed without
 * a heartbeat) is interrupted.
 */
export const jobStatuses = ['running', 'completed', 'failed', 'blocked', 'interrupted'] as const;
export type JobStatus = (typeof jobStatuses)[number];

export const jobEvents = ['launched', 'succeeded', 'failed', 'threshold_exceeded', 'node_lost', 'resumed'] as const;
export type JobEvent = (typeof jobEvents)[number];

export interface JobLifecycleTable {
  readonly name: string;
  readonly states: readonly JobStatus[];
  readonly events: readonly JobEvent[];
  readonly transitions: readonly (readonly [from: JobStatus | null, event: JobEvent, to: JobStatus])[];
}

export const jobLifecycle: JobLifecycleTable = {
  name: 'job status',
  states: jobStatuses,
  events: jobEvents,
  transitions: [
    [null, 'launched', 'running'],
    ['running', 'succeeded', 'completed'],
    ['running', 'failed', 'failed'],
    ['running', 'threshold_exceeded', 'blocked'],
    ['running', 'node_lost', 'interrupted'],
    ['blocked', 'resumed', 'running'],
  ],
};

export type JobTransitionResult =
  | { readonly ok: true; readonly status: JobStatus }
  | { readonly ok: false; readonly code: 'JOB_TRANSITION_REFUSED'; readonly message: string };

export function jobTransition(from: JobStatus | null, event: JobEvent): JobTransitionResult {
  for (const [f, e, to] of jobLifecycle.transitions) {
    if (f === from && e === event) return { ok: true, status: to };
  }
  return {
    ok: false,
    code: 'JOB_TRANSITION_REFUSED',
    message: `job status: event "${event}" is not allowed ${from === null ? 'before the job exists' : `in status ${from}`}`,
  };
}

/** Statuses a job no longer leaves. */
export function isFinalJobStatus(status: JobStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'interrupted';
}
