/** The parts of the job API (packages/server/src/http/routes/job-routes.ts) these screens use. */

// The same lists the POST schema is built from (pure module), so the form cannot offer a stale kind.
export { jobKinds, jobTasks } from '@ordo/core/src/jobs/job-plan.ts';

export interface JobProgress {
  readonly step: string;
  readonly stepIndex: number;
  readonly steps: number;
  readonly done: number;
  readonly total: number;
  readonly startedAt?: string;
}

/** What a job did, step by step; `blockedStep` is where a threshold stopped it. */
export interface JobResult {
  readonly steps?: readonly { readonly task: string; readonly outcome?: unknown }[];
  readonly blockedStep?: number;
}

export interface Job {
  readonly id: string;
  readonly kind: string;
  readonly task: string | null;
  readonly connector: string | null;
  readonly status: 'running' | 'completed' | 'failed' | 'blocked' | 'interrupted';
  readonly requestedBy: string;
  readonly scheduleId: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly heartbeatAt: string | null;
  readonly progress: JobProgress | null;
  readonly result: JobResult | null;
  readonly error: string | null;
}

export interface JobPage {
  readonly items: readonly Job[];
  readonly nextCursor: string | null;
}

export interface LogLine {
  readonly id: number;
  readonly at: string;
  readonly level: string;
  readonly message: string;
}

export const jobsKey = ['jobs'] as const;

export const jobPermissions = {
  launch: '/Jobs/RunJob/Launch',
  resume: '/Jobs/RunJob/Resume',
} as const;

/** "1.2 s", "3 min 4 s": how long a job ran (or has been running). */
export function formatDuration(job: Pick<Job, 'startedAt' | 'finishedAt'>, now = Date.now()): string {
  if (!job.startedAt) return '—';
  const ms = (job.finishedAt ? Date.parse(job.finishedAt) : now) - Date.parse(job.startedAt);
  if (ms < 0 || Number.isNaN(ms)) return '—';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export const statusColors: Readonly<Record<Job['status'], string>> = {
  running: 'blue',
  completed: 'green',
  failed: 'red',
  blocked: 'orange',
  interrupted: 'gray',
};
