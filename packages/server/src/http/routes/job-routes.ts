import { jobKinds, jobStatuses, jobTasks } from '@ordo/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { JobRunner } from '../../jobs/job-runner.ts';
import { getJob, jobLogs, listJobs } from '../../use-cases/jobs/job-queries.ts';
import { createSchedule, deleteSchedule, listSchedules, updateSchedule } from '../../use-cases/jobs/job-schedules.ts';
import { UseCaseError } from '../../use-cases/use-case-error.ts';
import { needs } from '../access-control.ts';
import type { ApiDeps } from '../api-deps.ts';
import { ApiProblem } from '../problem.ts';

const id = z.string().min(1).max(200);
const idParams = z.strictObject({ id });

const jobRequest = z.strictObject({
  kind: z.enum(jobKinds),
  task: z.enum(jobTasks).nullable().optional(),
  connector: z.string().min(1).max(200).nullable().optional(),
});

const job = z.object({
  id: z.string(),
  kind: z.string(),
  task: z.string().nullable(),
  connector: z.string().nullable(),
  status: z.string(),
  requestedBy: z.string(),
  scheduleId: z.string().nullable(),
  node: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  heartbeatAt: z.string().nullable(),
  progress: z
    .object({
      step: z.string(),
      stepIndex: z.number(),
      steps: z.number(),
      done: z.number(),
      total: z.number(),
      startedAt: z.string().optional(),
    })
    .nullable(),
  result: z.unknown(),
  error: z.string().nullable(),
});

const jobsQuery = z.strictObject({
  status: z.enum(jobStatuses).optional(),
  connector: z.string().min(1).max(200).optional(),
  cursor: z.string().min(1).max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const logsQuery = z.strictObject({
  /** The id of the last line seen. */
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

const logLine = z.object({ id: z.number(), at: z.string(), level: z.string(), message: z.string() });

const scheduleBody = z.strictObject({
  name: z.string().min(1).max(200),
  cron: z.string().min(1).max(200),
  kind: z.enum(jobKinds),
  task: z.enum(jobTasks).nullable().optional(),
  connector: z.string().min(1).max(200).nullable().optional(),
  enabled: z.boolean().optional(),
});

const schedule = z.object({
  id: z.string(),
  name: z.string(),
  cron: z.string(),
  kind: z.string(),
  task: z.string().nullable(),
  connector: z.string().nullable(),
  enabled: z.boolean(),
  nextRunAt: z.string().nullable(),
  lastRunAt: z.string().nullable(),
  lastJobId: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});

/** The Job Execution screen: jobs, their progress and logs, launch and resume, cron schedules. */
export async function jobRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const runner = (): JobRunner => {
    if (!deps.jobs) throw new UseCaseError('unavailable', 'JOBS_UNAVAILABLE', 'this server runs no job runner');
    return deps.jobs;
  };
  const actorOf = (request: { principal: { actor: string } | null }) => {
    if (!request.principal) throw new ApiProblem(401, 'UNAUTHENTICATED', 'sign in first');
    return request.principal.actor;
  };

  api.get(
    '/api/jobs',
    {
      config: { access: needs('/Jobs/RunJob/Query') },
      schema: {
        tags: ['jobs'],
        summary: 'Jobs, newest first, with cursor paging',
        querystring: jobsQuery,
        response: { 200: z.object({ items: z.array(job), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await listJobs(deps, {
        ...(q.status ? { status: q.status } : {}),
        ...(q.connector ? { connector: q.connector } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
        limit: q.limit,
      });
      return { items: page.jobs, nextCursor: page.nextCursor };
    },
  );

  api.post(
    '/api/jobs',
    {
      config: { access: needs('/Jobs/RunJob/Launch') },
      schema: {
        tags: ['jobs'],
        summary: 'Launch a complete, incremental or one-task job for one connector or all (409 if one runs)',
        body: jobRequest,
        response: { 202: job },
      },
    },
    async (request, reply) => {
      const launched = await runner().launch(request.body, { actor: actorOf(request) });
      return reply.status(202).send(launched);
    },
  );

  api.get(
    '/api/jobs/:id',
    {
      config: { access: needs('/Jobs/RunJob/Query') },
      schema: {
        tags: ['jobs'],
        summary: 'A job with its progress and result',
        params: idParams,
        response: { 200: job },
      },
    },
    async (request) => getJob(deps, request.params.id),
  );

  api.get(
    '/api/jobs/:id/logs',
    {
      config: { access: needs('/Jobs/RunJob/Query') },
      schema: {
        tags: ['jobs'],
        summary: "A job's log lines after a given line id",
        params: idParams,
        querystring: logsQuery,
        response: { 200: z.object({ items: z.array(logLine) }) },
      },
    },
    async (request) => {
      const lines = await jobLogs(deps, request.params.id, {
        ...(request.query.after !== undefined ? { after: request.query.after } : {}),
        limit: request.query.limit,
      });
      return { items: lines.map((l) => ({ id: l.id, at: l.at, level: l.level, message: l.message })) };
    },
  );

  api.post(
    '/api/jobs/:id/resume',
    {
      config: { access: needs('/Jobs/RunJob/Resume') },
      schema: {
        tags: ['jobs'],
        summary: 'Resume a job blocked by a threshold',
        params: idParams,
        response: { 202: job },
      },
    },
    async (request, reply) => reply.status(202).send(await runner().resume(request.params.id, actorOf(request))),
  );

  api.get(
    '/api/job-schedules',
    {
      config: { access: needs('/Jobs/Schedule/Query') },
      schema: {
        tags: ['jobs'],
        summary: 'Cron schedules of jobs',
        response: { 200: z.object({ items: z.array(schedule) }) },
      },
    },
    async () => ({ items: await listSchedules(deps) }),
  );

  api.post(
    '/api/job-schedules',
    {
      config: { access: needs('/Jobs/Schedule/Update') },
      schema: {
        tags: ['jobs'],
        summary: 'Create a cron schedule (UTC)',
        body: scheduleBody,
        response: { 201: schedule },
      },
    },
    async (request, reply) => reply.status(201).send(await createSchedule(deps, request.body, actorOf(request))),
  );

  api.patch(
    '/api/job-schedules/:id',
    {
      config: { access: needs('/Jobs/Schedule/Update') },
      schema: {
        tags: ['jobs'],
        summary: 'Change a cron schedule',
        params: idParams,
        body: scheduleBody.partial(),
        response: { 200: schedule },
      },
    },
    async (request) => updateSchedule(deps, request.params.id, request.body, actorOf(request)),
  );

  api.delete(
    '/api/job-schedules/:id',
    {
      config: { access: needs('/Jobs/Schedule/Update') },
      schema: { tags: ['jobs'], summary: 'Delete a cron schedule', params: idParams },
    },
    async (request, reply) => {
      await deleteSchedule(deps, request.params.id, actorOf(request));
      return reply.status(204).send();
    },
  );
}
