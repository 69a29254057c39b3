import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProvisioningState } from '@ordo/core';
import { createOrdoRuntime, type OrdoRuntime, type Stores, systemClock } from '@ordo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Slapd, startSlapd } from '../../../connectors/test/support/slapd.ts';
import { type RunningAgent, startAgent } from '../../src/agent.ts';
import { addContainer, uidsIn } from '../support/directory-check.ts';
import { writeLdapConfiguration } from '../support/ldap-configuration.ts';
import { importPeople, openLdapSite } from '../support/ldap-site.ts';
import { waitFor } from '../support/wait-for.ts';

/** The embedded agent against a slapd that goes away, hangs, and comes back. */
describe('LDAP outages', () => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await startSlapd();
  });
  afterAll(async () => {
    await slapd?.destroy();
  });

  async function setUp(label: string, count: number, ldapTimeoutMs: number, exportIntervalMs: number | null = null) {
    const peopleDn = await addContainer(slapd, label);
    process.env.OUTAGE_LDAP_PASSWORD = slapd.adminPassword;
    const folder = writeLdapConfiguration({
      ldapUrl: slapd.url,
      bindDn: slapd.adminDn,
      passwordVariable: 'OUTAGE_LDAP_PASSWORD',
      peopleDn,
      groupsDn: slapd.groupsDn,
      directoryAgent: 'local',
      hr: { kind: 'memory', agent: 'nobody', settings: { system: 'unused' } },
      ldapTimeoutMs,
    });
    const site = await openLdapSite({
      configFolder: folder,
      databaseUrl: join(mkdtempSync(join(tmpdir(), `ordo-${label}-`)), 'ordo.sqlite'),
      staffGroupDn: slapd.groups.staff,
      people: count,
    });
    const { stores, close } = site;
    const logs: string[] = [];
    const runtime = await createOrdoRuntime({ stores, clock: systemClock, log: (l) => logs.push(l), leaseMs: 20_000 });
    const agent = await startAgent({
      port: runtime.agentService('local'),
      concurrency: 4,
      maxAttempts: 50,
      backoff: { baseMs: 200, maxMs: 2_000 },
      breaker: { failures: 3, cooldownMs: 500, maxCooldownMs: 4_000 },
      exports: { enabled: exportIntervalMs !== null, intervalMs: exportIntervalMs },
      log: (l) => logs.push(l),
    });
    return { site, stores, runtime, agent, logs, peopleDn, close };
  }

  async function count(stores: Stores, state: ProvisioningState) {
    return (await stores.orders.list({ state, limit: 100_000 })).length;
  }

  let running: { runtime: OrdoRuntime; agent: RunningAgent; close: () => Promise<void> } | undefined;
  afterAll(async () => {
    await running?.agent.stop();
    await running?.runtime.close();
    await running?.close();
  });

  it('slapd stopped for 30 s during a run: orders wait and retry, the breaker opens and closes, all finish', async () => {
    const total = 300;
    const s = await setUp('outage', total, 2_000, 2_000);
    running = s;
    await s.runtime.pipeline.request();
    await waitFor(
      'some orders verified',
      async () => (await count(s.stores, ProvisioningState.Verified)) >= 30,
      60_000,
    );
    await slapd.stop();
    await waitFor('the breaker to open', () => s.agent.status().breakers.Directory?.state === 'open', 20_000);
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    expect(await count(s.stores, ProvisioningState.Errored)).toBe(0);
    await slapd.start();
    await waitFor(
      `all ${total} verified`,
      async () => (await count(s.stores, ProvisioningState.Verified)) === total,
      90_000,
      100,
    );
    expect(s.agent.status().breakers.Directory?.state).toBe('closed');
    expect(s.logs.some((l) => /circuit breaker open/.test(l))).toBe(true);
    // Failures are logged with their reasons, never with the bind password the agent resolved.
    expect(s.logs.join('\n')).not.toContain(slapd.adminPassword);
    const uids = await uidsIn(slapd, s.peopleDn);
    expect(new Set(uids).size).toBe(total);
    expect(uids).toHaveLength(total);
    await s.agent.stop();
    await s.runtime.close();
    await s.close();
    running = undefined;
  }, 180_000);

  it('a hung slapd times the writes out after they reached it: read before retrying, no duplicate, all Verified', async () => {
    const first = 20;
    const total = 80;
    const s = await setUp('hung', first, 1_000, 2_000);
    running = s;
    await s.runtime.pipeline.request();
    await waitFor(
      `the first ${first} verified`,
      async () => (await count(s.stores, ProvisioningState.Verified)) === first,
      60_000,
    );
    // The agent's connections are bound now. Hang the server, then hand out more creations: each
    // add reaches a server that does not answer, the agent times out, and slapd applies the adds
    // when it resumes, so the retries must find them there instead of adding them again.
    slapd.pause();
    await importPeople(s.site, total - first, first);
    void s.runtime.pipeline.request();
    await waitFor(
      'writes to time out',
      async () => {
        const failures = await s.stores.database.db
          .selectFrom('order_ledger')
          .select('message')
          .where('event', '=', 'attempt_failed')
          .execute();
        return failures.some((f) => /timeout, maybe applied/.test(f.message ?? ''));
      },
      30_000,
      100,
    );
    slapd.resume();
    // An order whose read-back also hit the hang stays 8 Executed until the next export verifies it.
    await waitFor(
      `all ${total} verified`,
      async () => (await count(s.stores, ProvisioningState.Verified)) === total,
      90_000,
      100,
    );
    const uids = await uidsIn(slapd, s.peopleDn);
    expect(new Set(uids).size).toBe(total);
    expect(uids).toHaveLength(total);
    await s.agent.stop();
    await s.runtime.close();
    await s.close();
    running = undefined;
  }, 150_000);
});
