import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/jobs/job-runner.ts';
import { openDatabase } from '../../src/storage/database.ts';
import type { JobRecord } from '../../src/storage/job-store.ts';
import { createStores, type Stores } from '../../src/storage/stores.ts';
import { AppliedModelCache } from '../../src/use-cases/applied-model-cache.ts';
import { type ApiFixture, startApiFixture } from '../api/api-fixture.ts';
import { postgresTestUrl, type TestDialect } from '../support/test-database.ts';

const dialects: TestDialect[] = ['sqlite', 'postgres'];

/** A gate a test opens when it wants a held job to go on. */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

function runnerOver(
  fixture: ApiFixture,
  stores: Stores,
  extra: Partial<ConstructorParameters<typeof JobRunner>[0]> = {},
): JobRunner {
  return new JobRunner({
    stores,
    clock: fixture.clock,
    newId: randomUUID,
    models: new AppliedModelCache(stores),
    signal: { notify: () => {} },
    log: () => {},
    schedulerMs: 0,
    ...extra,
  });
}

describe.each(dialects)('jobs on %s', (dialect) => {
  let fixture: ApiFixture | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await fixture?.close();
    fixture = undefined;
  });
  const start = async (options: { generate?: boolean } = {}) => {
    fixture = await startApiFixture({ dialect, ...options });
    return fixture;
  };

  it('runs a compute then a generate task job in the background, with progress, logs and result', async () => {
    const f = await start();
    const admin = await f.as('admin');
    const launched = await admin.post('/api/jobs', { kind: 'task', task: 'compute', connector: 'Directory' });
    expect(launched.statusCode, launched.body).toBe(202);
    expect(launched.json()).toMatchObject({ status: 'running', kind: 'task', task: 'compute', connector: 'Directory' });
    await f.runtime.jobs.idle();
    const computeJob = (await admin.get(`/api/jobs/${launched.json().id}`)).json();
    expect(computeJob).toMatchObject({
      status: 'completed',
      requestedBy: 'account:admin',
      progress: { step: 'compute', stepIndex: 1, steps: 1 },
      error: null,
    });
    expect(computeJob.result.steps[0].outcome.identities).toBeGreaterThan(10);
    expect(computeJob.finishedAt).not.toBeNull();

    const generated = await admin.post('/api/jobs', { kind: 'task', task: 'generate', connector: 'Directory' });
    expect(generated.statusCode, generated.body).toBe(202);
    await f.runtime.jobs.idle();
    const generateJob = (await admin.get(`/api/jobs/${generated.json().id}`)).json();
    expect(generateJob.status).toBe('completed');
    expect(generateJob.result.steps[0].outcome).toMatchObject({ orders: expect.any(Number), forced: false });

    const logs = (await admin.get(`/api/jobs/${generated.json().id}/logs`)).json().items;
    expect(logs.map((l: { message: string }) => l.message)).toEqual([
      expect.stringContaining('task generate for Directory launched by account:admin'),
      'step 1/1: generate',
      expect.stringMatching(/^step generate done: runId .*, orders \d+/),
      'job completed',
    ]);
    const after = (await admin.get(`/api/jobs/${generated.json().id}/logs?after=${logs[1].id}`)).json().items;
    expect(after).toHaveLength(2);

    const page1 = (await admin.get('/api/jobs?limit=1')).json();
    expect(page1.items).toHaveLength(1);
    const page2 = (await admin.get(`/api/jobs?limit=1&cursor=${page1.nextCursor}`)).json();
    expect(new Set([page1.items[0].id, page2.items[0].id])).toEqual(new Set([launched.json().id, generated.json().id]));
    expect(page2.nextCursor).toBeNull();
    expect((await f.stores.audit.list({ action: 'job.launched', limit: 10 })).map((a) => a.targetId).sort()).toEqual(
      [launched.json().id, generated.json().id].sort(),
    );
    expect(await f.stores.database.db.selectFrom('job_locks').selectAll().execute()).toEqual([]);
    const openapi = await f.anonymous('GET', '/api/openapi.json');
    expect(openapi.statusCode).toBe(200);
    expect(Object.keys(openapi.json().paths)).toEqual(
      expect.arrayContaining(['/api/jobs', '/api/jobs/{id}/logs', '/api/jobs/{id}/resume', '/api/job-schedules/{id}']),
    );
  });

  it('answers 409 JOB_ALREADY_RUNNING with the running job id, for its connector and for an all-connectors job', async () => {
    const f = await start();
    const held = gate();
    const runner = runnerOver(f, f.stores, { beforeStep: () => held.opened });
    cleanups.push(() => runner.close());
    const running = await runner.launch({ kind: 'task', task: 'fulfil', connector: 'Directory' }, { actor: 'test' });

    const admin = await f.as('admin');
    const second = await admin.post('/api/jobs', { kind: 'task', task: 'compute', connector: 'Directory' });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'JOB_ALREADY_RUNNING' });
    expect(second.json().detail).toContain(running.id);
    const all = await admin.post('/api/jobs', { kind: 'task', task: 'compute' });
    expect(all.statusCode).toBe(409);
    expect(all.json().detail).toContain(running.id);
    // A refused all-connectors job left none of the locks it took before the refusal.
    const locks = await f.stores.database.db.selectFrom('job_locks').selectAll().execute();
    expect(locks.map((l) => [l.scope, l.job_id])).toEqual([['Directory', running.id]]);
    expect((await admin.get('/api/jobs')).json().items).toHaveLength(1);

    const other = await admin.post('/api/jobs', { kind: 'task', task: 'fulfil', connector: 'Facilities' });
    expect(other.statusCode).toBe(202);

    held.open();
    await runner.idle();
    await f.runtime.jobs.idle();
    expect((await f.stores.jobs.get(running.id))?.status).toBe('completed');
    const again = await admin.post('/api/jobs', { kind: 'task', task: 'fulfil', connector: 'Directory' });
    expect(again.statusCode).toBe(202);
    await f.runtime.jobs.idle();
  });

  it('two launches at the same moment for one connector: one runs, the other is refused', async () => {
    const f = await start();
    const held = gate();
    const runners = [0, 1].map(() => runnerOver(f, f.stores, { beforeStep: () => held.opened }));
    for (const r of runners) cleanups.push(() => r.close());
    const results = await Promise.allSettled(
      runners.map((r) => r.launch({ kind: 'task', task: 'fulfil', connector: 'Directory' }, { actor: 'test' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'JOB_ALREADY_RUNNING' });
    held.open();
  });

  it('a job blocked by a generation threshold writes no order, frees its connector and goes on when resumed', async () => {
    // The example's first generation creates every account at once: beyond its thresholds.
    const f = await start({ generate: false });

    const admin = await f.as('admin');
    const launched = await admin.post('/api/jobs', { kind: 'task', task: 'generate', connector: 'Directory' });
    expect(launched.statusCode, launched.body).toBe(202);
    await f.runtime.jobs.idle();
    const blocked = (await admin.get(`/api/jobs/${launched.json().id}`)).json();
    expect(blocked.status).toBe('blocked');
    expect(blocked.error).toMatch(/blocked by \d+ threshold\(s\): LdapAccount added \d+ > \d+/);
    expect(blocked.result.blockedStep).toBe(0);
    expect(await f.stores.database.db.selectFrom('orders').select('id').execute()).toEqual([]);
    expect(await f.stores.database.db.selectFrom('job_locks').selectAll().execute()).toEqual([]);

    const user = await f.as('user');
    expect((await user.post(`/api/jobs/${launched.json().id}/resume`)).statusCode).toBe(403);
    const resumed = await admin.post(`/api/jobs/${launched.json().id}/resume`);
    expect(resumed.statusCode, resumed.body).toBe(202);
    await f.runtime.jobs.idle();
    const done = (await admin.get(`/api/jobs/${launched.json().id}`)).json();
    expect(done.status).toBe('completed');
    expect(done.result.steps).toHaveLength(1);
    expect(done.result.steps[0].outcome).toMatchObject({ forced: true });
    expect(done.result.steps[0].outcome.orders).toBeGreaterThan(3);
    const again = await admin.post(`/api/jobs/${launched.json().id}/resume`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('JOB_NOT_BLOCKED');
    expect(await f.stores.audit.list({ action: 'job.resumed', limit: 5 })).toHaveLength(1);
  });

  it('an incremental job for a manual connector runs all five steps; one whose agent does not export fails and calls the hook', async () => {
    const f = await start();
    const failures: JobRecord[] = [];
    const runner = runnerOver(f, f.stores, { onJobFailed: (job) => void failures.push(job), exportTimeoutMs: 300 });
    cleanups.push(() => runner.close());
    const manual = await runner.launch({ kind: 'incremental', connector: 'Facilities' }, { actor: 'test' });
    await runner.idle();
    const done = await f.stores.jobs.get(manual.id);
    expect(done?.status).toBe('completed');
    expect(done?.result?.steps.map((s) => s.task)).toEqual(['export', 'synchronize', 'compute', 'generate', 'fulfil']);

    const ldap = await runner.launch({ kind: 'incremental', connector: 'Directory' }, { actor: 'test' });
    await runner.idle();
    const failed = await f.stores.jobs.get(ldap.id);
    expect(failed?.status).toBe('failed');
    expect(failed?.error).toMatch(/^JOB_EXPORT_TIMEOUT: agent local did not export LdapAccount from DirectoryLdap/);
    expect(failures.map((j) => [j.id, j.status])).toEqual([[ldap.id, 'failed']]);
    expect(await f.stores.database.db.selectFrom('job_locks').selectAll().execute()).toEqual([]);

    const admin = await f.as('admin');
    const bad = await admin.post('/api/jobs', { kind: 'complete', task: 'compute', connector: 'Nope' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['connector', 'task']);
  });

  it("a dead node's lapsed lock is taken over and its job marked interrupted, once", async () => {
    const f = await start();
    const failures: JobRecord[] = [];
    const runner = runnerOver(f, f.stores, { onJobFailed: (job) => void failures.push(job), lockTtlMs: 30_000 });
    cleanups.push(() => runner.close());
    const dead = async (connector: string) => {
      const id = randomUUID();
      const now = f.clock.now();
      await f.stores.jobs.insert({
        id,
        kind: 'task',
        task: 'compute',
        connector,
        status: 'running',
        requestedBy: 'test',
        scheduleId: null,
        node: 'dead-node',
        createdAt: now,
        startedAt: now,
        finishedAt: null,
        heartbeatAt: now,
        progress: null,
        result: null,
        error: null,
      });
      const expiresAt = new Date(Date.parse(now) + 30_000).toISOString();
      expect(await f.stores.jobs.tryLock({ scope: connector, jobId: id, node: 'dead-node', expiresAt })).toEqual({
        taken: true,
      });
      return id;
    };
    const onDirectory = await dead('Directory');
    const onHr = await dead('HR');
    // Still beating: refused.
    await expect(
      runner.launch({ kind: 'task', task: 'fulfil', connector: 'Directory' }, { actor: 'test' }),
    ).rejects.toMatchObject({
      code: 'JOB_ALREADY_RUNNING',
    });
    f.clock.set('2026-11-28T09:02:00.000Z');
    const next = await runner.launch({ kind: 'task', task: 'fulfil', connector: 'Directory' }, { actor: 'test' });
    const interrupted = await f.stores.jobs.get(onDirectory);
    expect(interrupted?.status).toBe('interrupted');
    expect(interrupted?.error).toMatch(/dead-node stopped renewing its lock/);
    // The scheduler's sweep finds the other one.
    expect(await runner.recoverLapsed()).toBe(1);
    expect(await runner.recoverLapsed()).toBe(0);
    expect((await f.stores.jobs.get(onHr))?.status).toBe('interrupted');
    expect(failures.map((j) => j.id).sort()).toEqual([onDirectory, onHr].sort());
    await runner.idle();
    expect((await f.stores.jobs.get(next.id))?.status).toBe('completed');
    expect(await f.stores.audit.list({ action: 'job.interrupted', limit: 5 })).toHaveLength(2);
  });

  it('a schedule fires once per due time even with two runners ticking on one database', async () => {
    const f = await start();
    const admin = await f.as('admin');
    const invalid = await admin.post('/api/job-schedules', { name: 'x', cron: 'every day', kind: 'task' });
    expect(invalid.statusCode).toBe(400);
    expect(
      invalid
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['cron', 'task']);
    const created = await admin.post('/api/job-schedules', {
      name: 'Facilities every 5 minutes',
      cron: '*/5 * * * *',
      kind: 'task',
      task: 'fulfil',
      connector: 'Facilities',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ nextRunAt: '2026-11-28T09:05:00.000Z', enabled: true });

    // On PostgreSQL a second process: its own connection pool over the same database. SQLite is
    // the embedded single-process store: the second runner shares the process's connection.
    let storesB = f.stores;
    if (dialect === 'postgres') {
      const second = await openDatabase({ url: postgresTestUrl, schema: f.stores.database.schema, maxConnections: 3 });
      cleanups.push(() => second.close());
      storesB = createStores(second);
    }
    const runnerB = runnerOver(f, storesB, { node: 'node-b' });
    cleanups.push(() => runnerB.close());

    await Promise.all([f.runtime.jobs.tick(), runnerB.tick()]);
    expect(await f.stores.jobs.list({ limit: 10 })).toEqual([]);
    f.clock.set('2026-11-28T09:05:30.000Z');
    await Promise.all([f.runtime.jobs.tick(), runnerB.tick(), f.runtime.jobs.tick()]);
    await Promise.all([f.runtime.jobs.idle(), runnerB.idle()]);
    const jobs = await f.stores.jobs.list({ limit: 10 });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ scheduleId: created.json().id, status: 'completed' });
    const schedule = (await admin.get('/api/job-schedules')).json().items[0];
    expect(schedule).toMatchObject({ nextRunAt: '2026-11-28T09:10:00.000Z', lastJobId: jobs[0]?.id });
    await Promise.all([f.runtime.jobs.tick(), runnerB.tick()]);
    expect(await f.stores.jobs.list({ limit: 10 })).toHaveLength(1);

    const disabled = await admin.request('PATCH', `/api/job-schedules/${schedule.id}`, { enabled: false });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json()).toMatchObject({ enabled: false, nextRunAt: null });
    f.clock.set('2026-11-28T09:10:30.000Z');
    await Promise.all([f.runtime.jobs.tick(), runnerB.tick()]);
    expect(await f.stores.jobs.list({ limit: 10 })).toHaveLength(1);
    expect((await admin.request('DELETE', `/api/job-schedules/${schedule.id}`)).statusCode).toBe(204);
    expect((await admin.request('DELETE', `/api/job-schedules/${schedule.id}`)).statusCode).toBe(404);
    const audit = await f.stores.audit.list({ targetKind: 'job_schedule', limit: 10 });
    expect(audit.map((a) => a.action)).toEqual([
      'job_schedule.deleted',
      'job_schedule.updated',
      'job_schedule.created',
    ]);
    const user = await f.as('user');
    expect((await user.get('/api/job-schedules')).statusCode).toBe(403);
  });
});
