import type { JobStatus } from '@ordo/core';
import type { JobLogLine, JobRecord } from '../../storage/job-store.ts';
import type { Stores } from '../../storage/stores.ts';
import { decodeTimeCursor, encodeTimeCursor } from '../page-cursor.ts';
import { UseCaseError } from '../use-case-error.ts';

/** A page of jobs, newest first, with the cursor of the next page. */
export async function listJobs(
  deps: { stores: Pick<Stores, 'jobs'> },
  filter: { status?: JobStatus; connector?: string; cursor?: string; limit: number },
): Promise<{ jobs: JobRecord[]; nextCursor: string | null }> {
  const before = decodeTimeCursor(filter.cursor);
  const jobs = await deps.stores.jobs.list({
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.connector ? { connector: filter.connector } : {}),
    ...(before ? { before } : {}),
    limit: filter.limit + 1,
  });
  const page = jobs.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    jobs: page,
    nextCursor: jobs.length > filter.limit && last ? encodeTimeCursor(last) : null,
  };
}

export async function getJob(deps: { stores: Pick<Stores, 'jobs'> }, id: string): Promise<JobRecord> {
  const job = await deps.stores.jobs.get(id);
  if (!job) throw new UseCaseError('not_found', 'JOB_NOT_FOUND', `job ${id} does not exist`);
  return job;
}

/** Log lines after the id `after` (follow a running job by passing the last id seen). */
export async function jobLogs(
  deps: { stores: Pick<Stores, 'jobs'> },
  id: string,
  options: { after?: number; limit: number },
): Promise<JobLogLine[]> {
  await getJob(deps, id);
  return deps.stores.jobs.logs(id, {
    ...(options.after !== undefined ? { afterId: options.after } : {}),
    limit: options.limit,
  });
}
