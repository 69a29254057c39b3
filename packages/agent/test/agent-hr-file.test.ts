import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memorySystem } from '@ordo/connectors';
import { ProvisioningState } from '@ordo/core';
import { systemClock } from '@ordo/server';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningAgent, startAgent } from '../src/agent.ts';
import {
  type FulfilmentServer,
  startFulfilmentServer,
  writeFulfilmentConfiguration,
} from './support/fulfilment-fixture.ts';
import { waitFor } from './support/wait-for.ts';

/**
 * HR drops a CSV file; the agent notices the change, exports it incrementally, and the change
 * reaches the target without waiting for a schedule. A malformed file is refused whole.
 */
describe('HR file to target, event-driven', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-hr-file-'));
  const hrFile = join(dir, 'people.csv');
  const suffix = Math.random().toString(36).slice(2);
  const app = memorySystem(`hr-file-app-${suffix}`);
  let server: FulfilmentServer;
  let agent: RunningAgent;
  const logs: string[] = [];

  /** Written as HR tools do: to a temporary file renamed over the old one. */
  function dropFile(rows: string[]) {
    const temporary = join(dir, `.people-${Date.now()}.tmp`);
    writeFileSync(
      temporary,
      `employeeId;firstName;lastName;department;contractStart;contractEnd\n${rows.join('\n')}\n`,
    );
    renameSync(temporary, hrFile);
  }
  const row = (id: string, first: string, last: string) => `${id};${first};${last};Engineering;2020-01-01;`;

  afterAll(async () => {
    await agent?.stop();
    await server?.close();
  });

  it('a new HR file reaches the target at once; a malformed one changes nothing and names its lines', async () => {
    app.put({ entityType: 'Group', key: 'staff', values: { name: 'staff' }, links: {} });
    dropFile([row('E1', 'Ada', 'Lovelace'), row('E2', 'Alan', 'Turing')]);
    const folder = writeFulfilmentConfiguration({
      hr: { kind: 'csv', settings: { path: hrFile, delimiter: ';', stateDirectory: join(dir, 'state') } },
      app: { kind: 'memory', settings: { system: `hr-file-app-${suffix}` } },
    });
    server = await startFulfilmentServer(folder, { clock: systemClock });
    // No interval: only the start and the file watch trigger exports.
    agent = await startAgent({
      port: server.port,
      exports: { enabled: true, intervalMs: null },
      log: (l) => logs.push(l),
    });
    await waitFor('two accounts', () => app.count('Account') === 2);

    dropFile([row('E1', 'Ada', 'Lovelace'), row('E2', 'Alan', 'Turing'), row('E3', 'Grace', 'Hopper')]);
    await waitFor("the new person's account", () => app.get('Account', 'grace.hopper') !== null);

    dropFile([
      row('E1', 'Ada', 'Lovelace'),
      'E2;Alan;Turing;Engineering',
      row('E3', 'Grace', 'Hopper'),
      row('E3', 'Grace', 'Hopper'),
    ]);
    await waitFor('the refusal in the agent log', () =>
      logs.some((l) => /export of Person from HrSource failed/.test(l)),
    );
    const refusal = logs.find((l) => /export of Person from HrSource failed/.test(l)) ?? '';
    expect(refusal).toMatch(/line 3/);
    expect(refusal).toMatch(/line 5/);
    expect(await server.stores.resources.count('Person')).toBe(3);

    dropFile([row('E1', 'Ada', 'King'), row('E2', 'Alan', 'Turing'), row('E3', 'Grace', 'Hopper')]);
    await waitFor('the changed mail', () => app.get('Account', 'ada.lovelace')?.values.mail === 'ada.king@example.org');
    await waitFor('every order verified', async () => {
      const open = await server.stores.orders.list({ state: ProvisioningState.Transmitted, limit: 10 });
      return open.length === 0;
    });
  });
});
