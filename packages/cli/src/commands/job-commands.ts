import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { type JobKind, type JobTask, jobKinds, jobTasks } from '@ordo/core';
import { AppliedModelCache, type JobRecord, JobRunner, type Stores, systemClock } from '@ordo/server';
import type { Command } from 'commander';
import { print, table } from '../format.ts';
import { withStores } from '../open-stores.ts';
import { progressBar } from '../progress.ts';

/**
 * `ordo jobs`: run a complete, incremental or one-task job against the local database, with a
 * progress display; list jobs; resume a blocked one. A job's export step waits for the agent
 * serving its connector (it must be running against the same database through a server).
 */
export function registerJobCommands(program: Command): void {
  const jobs = program.command('jobs').description('run, list and resume jobs (complete, incremental or one task)');

  jobs
    .command('run')
    .description('run a job now and follow it until it ends')
    .requiredOption('--kind <kind>', `${jobKinds.join(' | ')}`)
    .option('--task <task>', `with --kind task: ${jobTasks.join(' | ')}`)
    .option('--connector <id>', 'one connector (default: all)')
    .action(async (options: { kind: string; task?: string; connector?: string }) => {
      if (!jobKinds.includes(options.kind as JobKind)) invalid(`--kind must be ${jobKinds.join(', ')}`);
      if (options.task !== undefined && !jobTasks.includes(options.task as JobTask)) {
        invalid(`--task must be ${jobTasks.join(', ')}`);
      }
      await withStores(program.opts().db, async (stores) => {
        const runner = runnerFor(stores);
        try {
          const job = await runner.launch(
            {
              kind: options.kind as JobKind,
              task: (options.task as JobTask | undefined) ?? null,
              connector: options.connector ?? null,
            },
            { actor: `cli:${userInfo().username}` },
          );
          print(`job ${job.id} launched`);
          await follow(runner, stores, job.id);
        } finally {
          await runner.close();
        }
      });
    });

  jobs
    .command('resume')
    .argument('<id>', 'a job blocked by a threshold')
    .description('resume a blocked job and follow it until it ends')
    .action(async (id: string) => {
      await withStores(program.opts().db, async (stores) => {
        const runner = runnerFor(stores);
        try {
          await runner.resume(id, `cli:${userInfo().username}`);
          await follow(runner, stores, id);
        } finally {
          await runner.close();
        }
      });
    });

  jobs
    .command('list')
    .description('the latest jobs')
    .option('--limit <n>', 'how many', '20')
    .action(async (options: { limit: string }) => {
      await withStores(program.opts().db, async (stores) => {
        const list = await stores.jobs.list({ limit: Math.min(500, Math.max(1, Number(options.limit) || 20)) });
        print(
          table(
            ['id', 'kind', 'task', 'connector', 'status', 'created', 'error'],
            list.map((j) => [
              j.id,
              j.kind,
              j.task,
              j.connector ?? '(all)',
              j.status,
              j.createdAt,
              j.error?.slice(0, 60),
            ]),
          ),
        );
      });
    });
}

function runnerFor(stores: Stores): JobRunner {
  return new JobRunner({
    stores,
    clock: systemClock,
    newId: randomUUID,
    models: new AppliedModelCache(stores),
    // No agent waits in this process: agents of a server notice new orders at their next poll.
    signal: { notify: () => {} },
    log: () => {},
    schedulerMs: 0,
  });
}

/** Shows the job's progress and log lines until it leaves `running`; a failed or blocked job exits 1. */
async function follow(runner: JobRunner, stores: Stores, id: string): Promise<void> {
  let bar: ReturnType<typeof progressBar> | null = null;
  let step = '';
  let lastLog = 0;
  let job: JobRecord | undefined;
  for (;;) {
    job = await stores.jobs.get(id);
    for (const line of await stores.jobs.logs(id, { afterId: lastLog, limit: 500 })) {
      lastLog = line.id;
      bar?.stop();
      bar = null;
      print(`${line.at} ${line.level.padEnd(5)} ${line.message}`);
    }
    if (job?.status !== 'running') break;
    const progress = job.progress;
    if (progress && progress.total > 0) {
      if (progress.step !== step || !bar) {
        bar?.stop();
        step = progress.step;
        bar = progressBar(`${progress.stepIndex}/${progress.steps} ${progress.step}`);
      }
      bar.update(progress.done, progress.total);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  bar?.stop();
  await runner.idle();
  job = await stores.jobs.get(id);
  print(`job ${id}: ${job?.status}${job?.error ? ` (${job.error})` : ''}`);
  if (job?.status === 'blocked') print(`resume it with \`ordo jobs resume ${id}\``);
  if (job?.status !== 'completed') process.exitCode = 1;
}

function invalid(message: string): never {
  throw Object.assign(new Error(message), { code: 'CLI_INVALID_OPTION' });
}
