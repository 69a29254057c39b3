/**
 * Jobs (reference spec §4.1, §4.2): the task chain run for one connector or for all of them.
 * A complete job reloads everything and computes every identity; an incremental one applies
 * changes and computes only the dirty identities; a task job runs one step.
 */
export const jobKinds = ['complete', 'incremental', 'task'] as const;
export type JobKind = (typeof jobKinds)[number];

export const jobTasks = ['export', 'synchronize', 'compute', 'generate', 'fulfil'] as const;
export type JobTask = (typeof jobTasks)[number];

export interface JobRequest {
  readonly kind: JobKind;
  /** Required for kind `task`, refused otherwise. */
  readonly task?: JobTask | null;
  /** One connector, or every connector when absent. */
  readonly connector?: string | null;
}

/** One step of a job's plan. `mode` says how much export reads and compute evaluates. */
export type JobStep =
  | { readonly task: 'export'; readonly mode: 'complete' | 'incremental' }
  | { readonly task: 'synchronize' }
  | { readonly task: 'compute'; readonly mode: 'complete' | 'dirty' }
  | { readonly task: 'generate' }
  | { readonly task: 'fulfil' };

/** Every problem of a job request, with the field it is about; empty when it can run. */
export function validateJobRequest(
  request: JobRequest,
  connectors: readonly string[],
): { readonly path: string; readonly message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (!jobKinds.includes(request.kind)) problems.push({ path: 'kind', message: `unknown job kind ${request.kind}` });
  if (request.kind === 'task') {
    if (!request.task) problems.push({ path: 'task', message: 'a task job names its task' });
    else if (!jobTasks.includes(request.task)) problems.push({ path: 'task', message: `unknown task ${request.task}` });
  } else if (request.task) {
    problems.push({ path: 'task', message: `a ${request.kind} job runs every task: leave task out` });
  }
  if (request.connector != null && !connectors.includes(request.connector)) {
    problems.push({ path: 'connector', message: `connector ${request.connector} is not in the configuration` });
  }
  return problems;
}

/** The steps of a job, in order (reference spec §4.1: export → synchronize → compute → generate → fulfil). */
export function planJob(request: JobRequest): readonly JobStep[] {
  switch (request.kind) {
    case 'complete':
      return [
        { task: 'export', mode: 'complete' },
        { task: 'synchronize' },
        { task: 'compute', mode: 'complete' },
        { task: 'generate' },
        { task: 'fulfil' },
      ];
    case 'incremental':
      return [
        { task: 'export', mode: 'incremental' },
        { task: 'synchronize' },
        { task: 'compute', mode: 'dirty' },
        { task: 'generate' },
        { task: 'fulfil' },
      ];
    case 'task':
      return [singleStep(request.task ?? 'compute')];
  }
}

/** A task run on its own: an export or computation on request is a complete one. */
function singleStep(task: JobTask): JobStep {
  switch (task) {
    case 'export':
      return { task, mode: 'complete' };
    case 'compute':
      return { task, mode: 'complete' };
    default:
      return { task };
  }
}

/**
 * The lock scopes a job holds while it runs: its connector, or every connector for a job over all
 * of them, so that one job per connector runs at a time across every server process.
 */
export function jobLockScopes(request: JobRequest, connectors: readonly string[]): readonly string[] {
  const scopes = request.connector ? [request.connector] : [...connectors];
  return scopes.sort();
}

/** A short name for logs and lists: `incremental LDAP`, `task compute (all connectors)`. */
export function describeJob(request: JobRequest): string {
  const what = request.kind === 'task' ? `task ${request.task}` : `${request.kind} job`;
  return `${what} ${request.connector ? `for ${request.connector}` : 'for all connectors'}`;
}
