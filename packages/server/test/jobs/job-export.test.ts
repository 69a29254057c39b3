import { randomUUID } from 'node:crypto';
import { MemoryConnector, MemorySystem } from '@ordo/connectors';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportRunner } from '../../../agent/src/export-runner.ts';
import { createHttpAgentPort } from '../../../agent/src/http-agent-port.ts';
import { JobRunner } from '../../src/jobs/job-runner.ts';
import type { JobRecord } from '../../src/storage/job-store.ts';
import { AppliedModelCache } from '../../src/use-cases/applied-model-cache.ts';
import { type ApiFixture, startApiFixture } from '../api/api-fixture.ts';
import type { TestDialect } from '../support/test-database.ts';

const dialects: TestDialect[] = ['sqlite', 'postgres'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The export step over the agent protocol: a job asks the agent serving its connector to export
 * now, the agent's ExportRunner serves the request and uploads, and the job goes on. HR is read
 * from an in-memory system holding the same people as the database.
 */
describe.each(dialects)('job exports through the agent on %s', (dialect) => {
  let fixture: ApiFixture | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await fixture?.close();
    fixture = undefined;
  });

  async function setUp(options: { http?: boolean } = {}) {
    const f = await startApiFixture({ dialect });
    fixture = f;
    const hr = new MemorySystem();
    const people = await f.stores.resources.listByEntityType('Person', { limit: 5000 });
    const keyOf = (id: string) => id.slice(id.indexOf(':') + 1);
    for (const person of people) {
      hr.put({
        entityType: 'Person',
        key: person.key,
        values: person.values,
        links: Object.fromEntries(Object.entries(person.links).map(([p, ids]) => [p, ids.map(keyOf)])),
      });
    }
    let port = f.runtime.agentService('local');
    if (options.http) {
      // A remote agent: the same protocol over HTTP with its token.
      const url = await f.runtime.app.listen({ port: 0, host: '127.0.0.1' });
      const token = `agent-token-${randomUUID()}`;
      await f.stores.agentTokens.create({ id: randomUUID(), agent: 'local', token, at: f.clock.now() });
      port = createHttpAgentPort({ serverUrl: url, token });
    }
    const configuration = await port.configuration();
    const agentExports = new ExportRunner({
      port,
      configuration,
      connectorFor: () => new MemoryConnector(hr, ['Person']),
      log: () => {},
      intervalMs: null,
      completeEveryMs: null,
      now: Date.now,
      requestPollMs: 0,
    });
    const failures: JobRecord[] = [];
    const runner = new JobRunner({
      stores: f.stores,
      clock: f.clock,
      newId: randomUUID,
      models: new AppliedModelCache(f.stores),
      signal: { notify: () => {} },
      log: () => {},
      schedulerMs: 0,
      exportPollMs: 20,
      exportTimeoutMs: 5_000,
      onJobFailed: (job) => void failures.push(job),
    });
    cleanups.push(() => runner.close());
    cleanups.push(() => agentExports.stop());
    /** The agent's request poll, driven by the test until the job leaves `running`. */
    const serveUntilSettled = async (jobId: string) => {
      for (let i = 0; i < 250; i++) {
        const job = await f.stores.jobs.get(jobId);
        if (job?.status !== 'running') break;
        await agentExports.serveExportRequests();
        await sleep(20);
      }
      await runner.idle();
      return (await f.stores.jobs.get(jobId)) as JobRecord;
    };
    return { f, hr, people, runner, failures, serveUntilSettled };
  }

  it.each([
    ['embedded', false],
    ['over HTTP', true],
  ])(
    'an incremental job for HR asks the %s agent to export, waits for the upload and runs the chain',
    async (_, http) => {
      const { f, runner, serveUntilSettled } = await setUp({ http });
      f.clock.set('2026-11-28T09:01:00.000Z');
      const job = await runner.launch({ kind: 'incremental', connector: 'HR' }, { actor: 'test' });
      const done = await serveUntilSettled(job.id);
      expect(done.status, done.error ?? '').toBe('completed');
      expect(done.result?.steps.map((s) => s.task)).toEqual(['export', 'synchronize', 'compute', 'generate', 'fulfil']);
      expect(done.result?.steps[0]?.outcome).toMatchObject({ exported: 1 });
      const runs = await f.stores.sync.list(10);
      expect(runs.map((r) => [r.connection, r.entityType, r.status])).toEqual([['HrCsv', 'Person', 'completed']]);
    },
  );

  it('a synchronization blocked by its thresholds blocks the job; resumed, the job exports again and applies it', async () => {
    const { f, hr, people, runner, failures, serveUntilSettled } = await setUp();
    f.clock.set('2026-11-28T09:01:00.000Z');
    const first = await serveUntilSettled(
      (await runner.launch({ kind: 'incremental', connector: 'HR' }, { actor: 'test' })).id,
    );
    expect(first.status).toBe('completed');

    // HR drops more people than its 5 % deletion threshold allows.
    const leaving = people.slice(0, Math.ceil(people.length * 0.06)).map((p) => p.key);
    for (const key of leaving) {
      hr.table('Person').delete(key);
      hr.touch('Person', key, null);
    }
    f.clock.set('2026-11-28T09:02:00.000Z');
    const job = await runner.launch({ kind: 'incremental', connector: 'HR' }, { actor: 'test' });
    const blocked = await serveUntilSettled(job.id);
    expect(blocked.status).toBe('blocked');
    expect(blocked.error).toMatch(/synchronization blocked by thresholds for Person from HrCsv/);
    expect(await f.stores.resources.listByEntityType('Person', { limit: 5000 })).toHaveLength(people.length);

    f.clock.set('2026-11-28T09:03:00.000Z');
    await runner.resume(job.id, 'account:admin');
    const done = await serveUntilSettled(job.id);
    expect(done.status, done.error ?? '').toBe('completed');
    expect(await f.stores.resources.listByEntityType('Person', { limit: 5000 })).toHaveLength(
      people.length - leaving.length,
    );
    expect(failures).toEqual([]);
  });

  it('an agent that does not export in time fails the job with a clear message and calls the hook', async () => {
    const { f, runner, failures } = await setUp();
    const job = await runner.launch({ kind: 'task', task: 'export', connector: 'Directory' }, { actor: 'test' });
    await runner.idle();
    const failed = await f.stores.jobs.get(job.id);
    expect(failed?.status).toBe('failed');
    expect(failed?.error).toMatch(
      /^JOB_EXPORT_TIMEOUT: agent local did not export LdapAccount from DirectoryLdap, LdapGroup from DirectoryLdap within 5 s/,
    );
    expect(failures.map((j) => j.id)).toEqual([job.id]);
  });
});
