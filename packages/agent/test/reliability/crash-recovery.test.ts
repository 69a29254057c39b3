import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProvisioningState } from '@ordo/core';
import { type Stores, systemClock } from '@ordo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Slapd, startSlapd } from '../../../connectors/test/support/slapd.ts';
import { addContainer, ldapValues, uidsIn } from '../support/directory-check.ts';
import { writeLdapConfiguration } from '../support/ldap-configuration.ts';
import { openLdapSite } from '../support/ldap-site.ts';
import { type OrdoProcess, startOrdo } from '../support/ordo-process.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * Crashes in the middle of a run, in real processes: `ordo serve` and `ordo agent` against a real
 * slapd. The proof is read from the directory with ldapsearch, not through Ordo.
 */
describe('crash recovery against OpenLDAP', () => {
  let slapd: Slapd;
  const processes: OrdoProcess[] = [];

  beforeAll(async () => {
    slapd = await startSlapd();
  });
  afterAll(async () => {
    for (const p of processes) await p.kill('SIGKILL');
    await slapd?.destroy();
  });

  /** A database with the configuration applied and `count` people imported, served by `ordo serve`. */
  async function prepare(label: string, count: number) {
    const peopleDn = await addContainer(slapd, label);
    const folder = writeLdapConfiguration({
      ldapUrl: slapd.url,
      bindDn: slapd.adminDn,
      passwordVariable: 'TEST_LDAP_PASSWORD',
      peopleDn,
      groupsDn: slapd.groupsDn,
      directoryAgent: 'directory-agent',
      hr: { kind: 'memory', agent: 'nobody', settings: { system: 'unused' } },
      ldapTimeoutMs: 5_000,
    });
    const databasePath = join(mkdtempSync(join(tmpdir(), `ordo-${label}-`)), 'ordo.sqlite');
    const { stores, close } = await openLdapSite({
      configFolder: folder,
      databaseUrl: databasePath,
      staffGroupDn: slapd.groups.staff,
      people: count,
    });
    const token = `token-${label}-${Date.now()}`;
    await stores.agentTokens.create({ id: `t-${label}`, agent: 'directory-agent', token, at: systemClock.now() });
    return { stores, databasePath, peopleDn, token, close };
  }

  function serve(databasePath: string) {
    const server = startOrdo(['--db', databasePath, 'serve', '--port', '0', '--no-agent', '--lease-seconds', '3']);
    processes.push(server);
    return server;
  }

  function agent(url: string, token: string) {
    const process = startOrdo(['agent', '--server', url, '--export-interval', '0'], {
      ORDO_AGENT_TOKEN: token,
      TEST_LDAP_PASSWORD: slapd.adminPassword,
    });
    processes.push(process);
    return process;
  }

  async function verifiedCount(stores: Stores): Promise<number> {
    return (await stores.orders.list({ state: ProvisioningState.Verified, limit: 100_000 })).length;
  }

  async function staffMembers(): Promise<string[]> {
    const members = await ldapValues(slapd, slapd.groups.staff, '(objectClass=*)', 'member', 'base');
    return members.map((m) => m.toLowerCase());
  }

  function expectExactlyOnce(uids: readonly string[], count: number) {
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids).toHaveLength(count);
  }

  it('the agent is killed (SIGKILL) in the middle of 1,000 creations: after a restart every account exists once and every order is Verified', async () => {
    const count = 1000;
    const db = await prepare('killagent', count);
    const server = serve(db.databasePath);
    const [, url] = (await server.waitForOutput(/Ordo listens on (http:\/\/\S+)/)) as unknown as [string, string];
    const first = agent(url, db.token);
    await waitFor(
      'a third of the orders verified',
      async () => (await verifiedCount(db.stores)) >= count / 3,
      120_000,
      50,
    );
    await first.kill('SIGKILL');
    const atKill = await verifiedCount(db.stores);
    expect(atKill).toBeLessThan(count);
    agent(url, db.token);
    await waitFor(`all ${count} orders verified`, async () => (await verifiedCount(db.stores)) === count, 180_000, 200);
    const uids = await uidsIn(slapd, db.peopleDn);
    expectExactlyOnce(uids, count);
    // The killed agent held leases: their orders came back marked "maybe applied" and were read first.
    const expired = await db.stores.database.db
      .selectFrom('order_ledger')
      .select('order_id')
      .where('event', '=', 'lease_expired')
      .execute();
    expect(expired.length).toBeGreaterThan(0);
    const members = new Set(await staffMembers());
    for (const uid of uids) expect(members.has(`uid=${uid},${db.peopleDn}`.toLowerCase()), uid).toBe(true);
    await db.close();
  }, 300_000);

  it('the server is killed (SIGKILL) in the middle of a run: after a restart nothing is lost or sent twice', async () => {
    const count = 400;
    const db = await prepare('killserver', count);
    const first = serve(db.databasePath);
    const [, url] = (await first.waitForOutput(/Ordo listens on (http:\/\/\S+)/)) as unknown as [string, string];
    const port = new URL(url).port;
    agent(url, db.token);
    await waitFor(
      'a quarter of the orders verified',
      async () => (await verifiedCount(db.stores)) >= count / 4,
      120_000,
      50,
    );
    await first.kill('SIGKILL');
    // Same port, so that the running agent finds the new server; it retries its leases and reports.
    const second = startOrdo(['--db', db.databasePath, 'serve', '--port', port, '--no-agent', '--lease-seconds', '3']);
    processes.push(second);
    await second.waitForOutput(/Ordo listens on/);
    await waitFor(`all ${count} orders verified`, async () => (await verifiedCount(db.stores)) === count, 180_000, 200);
    expectExactlyOnce(await uidsIn(slapd, db.peopleDn), count);
    const orders = await db.stores.orders.list({ limit: 100_000 });
    expect(orders.filter((o) => o.changeType === 'added')).toHaveLength(count);
    await db.close();
  }, 300_000);
});
