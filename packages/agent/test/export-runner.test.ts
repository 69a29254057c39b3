import { MemoryConnector, memorySystem } from '@ordo/connectors';
import type { AgentConfiguration, AgentPort, ExportUpload } from '@ordo/core';
import { describe, expect, it } from 'vitest';
import { ExportRunner } from '../src/export-runner.ts';

describe('export runner', () => {
  const configuration: AgentConfiguration = {
    agent: 'local',
    version: 1,
    entityTypes: {},
    connectors: [
      {
        id: 'HR',
        entityTypes: ['Person'],
        connections: [{ id: 'HrSource', kind: 'memory', disabled: 'fulfil', settings: {} }],
      },
    ],
  };

  function setUp() {
    const system = memorySystem(`runner-${Math.random()}`);
    system.put({ entityType: 'Person', key: 'E1', values: { employeeId: 'E1' }, links: {} });
    const uploads: ExportUpload[] = [];
    let cookie: string | null = null;
    const port = {
      exportCookie: async () => cookie,
      upload: async (upload: ExportUpload) => {
        uploads.push(upload);
        cookie = upload.cookie;
        return { status: 'completed' as const, message: 'ok' };
      },
    } as unknown as AgentPort;
    let now = 0;
    const runner = new ExportRunner({
      port,
      configuration,
      connectorFor: () => new MemoryConnector(system, ['Person']),
      log: () => {},
      intervalMs: null,
      completeEveryMs: 60_000,
      now: () => now,
    });
    return { system, uploads, runner, advance: (ms: number) => (now += ms) };
  }

  it('exports completely first, then incrementally, and completely again once a day has passed', async () => {
    const { system, uploads, runner, advance } = setUp();
    await runner.runAll('incremental');
    expect(uploads.map((u) => u.mode)).toEqual(['complete']);
    system.put({ entityType: 'Person', key: 'E2', values: { employeeId: 'E2' }, links: {} });
    advance(30_000);
    await runner.runAll('incremental');
    expect(uploads.map((u) => u.mode)).toEqual(['complete', 'incremental']);
    expect(uploads[1]?.objects.map((o) => o.key)).toEqual(['E2']);
    advance(31_000);
    await runner.runAll('incremental');
    expect(uploads.map((u) => u.mode)).toEqual(['complete', 'incremental', 'complete']);
    expect(uploads[2]?.objects.map((o) => o.key).sort()).toEqual(['E1', 'E2']);
  });

  it('uploads nothing when an incremental export finds no change', async () => {
    const { uploads, runner, advance } = setUp();
    await runner.runAll('incremental');
    advance(1_000);
    await runner.runAll('incremental');
    expect(uploads).toHaveLength(1);
  });
});
