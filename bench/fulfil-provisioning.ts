import { ProvisioningState } from '@ordo/core';
import type { Slapd } from '../packages/connectors/test/support/slapd.ts';
import { epochMs, type LeaseEvent } from './fulfil-observed-port.ts';
import type { OrdoSite } from './fulfil-ordo-site.ts';
import { type HrPerson, personEntry } from './fulfil-people.ts';
import { addContainer, addGroup, connectRaw, countProvisioned, rawProvision, readAccounts } from './fulfil-raw-ldap.ts';
import { waitUntil } from './fulfil-wait.ts';

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Ordo's side of the end-to-end provisioning, with where its time went. */
export interface OrdoProvisioning {
  readonly seconds: number;
  readonly identitiesPerSecond: number;
  /** Checked in the directory without Ordo: accounts under the container, members of staff. */
  readonly inDirectory: { readonly accounts: number; readonly memberships: number };
  /** Seconds from the agent's start to each milestone. */
  readonly timeline: Record<string, number | null>;
  /** Time summed over the calls of each connector method (concurrent calls add up). */
  readonly connector: Record<string, { calls: number; seconds: number; meanMs: number }>;
  /** Time in the calls of the agent's port to the server (lease includes its long-poll wait). */
  readonly agentPort: Record<string, { calls: number; seconds: number; meanMs: number }>;
  /** Lease calls: how many came back empty (a long poll that ran out), items per call otherwise. */
  readonly leases: { calls: number; empty: number; itemsPerCall: number; meanMsWithItems: number };
  readonly workItems: Record<string, number>;
}

/**
 * The raw baseline: plain ldapts adding the same entries under a container of its own and their
 * DNs to a group of its own (`cn=raw-staff` in it), `concurrency` at a time.
 */
export const rawProvisioningContainer = (slapd: Slapd) => `ou=raw-provisioning,${slapd.baseDn}`;

export async function measureRawProvisioning(
  slapd: Slapd,
  people: readonly HrPerson[],
  concurrency: number,
): Promise<{ seconds: number; identitiesPerSecond: number; inDirectory: { accounts: number; memberships: number } }> {
  const container = rawProvisioningContainer(slapd);
  const groupDn = `cn=raw-staff,${container}`;
  const client = await connectRaw(slapd);
  try {
    await addContainer(client, container);
    await addGroup(client, groupDn);
  } finally {
    await client.unbind().catch(() => undefined);
  }
  const entries = people.map((p) => personEntry(p, container));
  // Progress on stderr: at ~750 adds/s a large run is minutes of silence otherwise.
  const seconds = await rawProvision(slapd, entries, groupDn, concurrency, (done) =>
    process.stderr.write(`bench: provisioning: raw ${done}/${entries.length} written\n`),
  );
  const inDirectory = await countProvisioned(slapd, container, groupDn);
  if (inDirectory.accounts !== people.length || inDirectory.memberships !== people.length) {
    throw new Error(`bench: the raw baseline left ${JSON.stringify(inDirectory)} for ${people.length} people`);
  }
  return { seconds: round(seconds), identitiesPerSecond: round(people.length / seconds, 1), inDirectory };
}

/**
 * Ordo end to end: the agent starts (its first act is the export of the HR file, whose
 * synchronization triggers the computation and the orders), and the clock stops when every
 * Directory order is 4 Verified. Any Errored order fails the measurement.
 */
export async function measureOrdoProvisioning(
  site: OrdoSite,
  slapd: Slapd,
  people: readonly HrPerson[],
  concurrency: number,
  log: (line: string) => void,
): Promise<OrdoProvisioning> {
  const identities = people.length;
  const counts = { verified: 0 };
  const startedAt = epochMs();
  const started = performance.now();
  let lastLogged = started;
  await site.startAgent(concurrency);
  await waitUntil(
    site.port,
    async () => {
      const rows = await site.stores.orders.countByConnectorAndState();
      const count = (state: ProvisioningState) =>
        rows.find((r) => r.connector === 'Directory' && r.state === state)?.count ?? 0;
      counts.verified = count(ProvisioningState.Verified);
      const errored = count(ProvisioningState.Errored);
      if (errored > 0) {
        const [order] = await site.stores.orders.list({ state: ProvisioningState.Errored, limit: 1 });
        const assignment = order ? await site.stores.assignments.get(order.assignedResourceTypeId) : undefined;
        const message = assignment && 'message' in assignment ? assignment.message : 'no message';
        throw new Error(`bench: ${errored} order(s) Errored during provisioning; the first: ${message}`);
      }
      if (performance.now() - lastLogged > 5_000) {
        lastLogged = performance.now();
        log(`bench: provisioning: ${counts.verified}/${identities} verified`);
      }
      return counts.verified >= identities ? counts.verified : null;
    },
    { pollMs: 100, stalledMs: 120_000, what: 'provisioning', progress: () => counts.verified },
  );
  const seconds = (performance.now() - started) / 1000;
  const inDirectory = await countProvisioned(slapd, site.peopleDn, slapd.groups.staff);
  if (inDirectory.accounts !== identities || inDirectory.memberships !== identities) {
    throw new Error(`bench: Ordo verified ${identities} orders but the directory holds ${JSON.stringify(inDirectory)}`);
  }

  await sameEntriesAsRaw(slapd, site.peopleDn, people);

  const orders = await site.stores.orders.list({ connector: 'Directory', limit: identities * 2 + 100 });
  const created = orders.map((o) => Date.parse(o.createdAt));
  const since = (at: number | undefined) =>
    at === undefined || !Number.isFinite(at) ? null : round((at - startedAt) / 1000);
  const hrUpload = site.port.uploads.find((u) => u.entityType === 'Person');
  const leased = [...site.port.leasedAt.values()];
  const answered = [...site.port.reported.values()].map((r) => r.answeredAt);
  const result: OrdoProvisioning = {
    seconds: round(seconds),
    identitiesPerSecond: round(identities / seconds, 1),
    inDirectory,
    timeline: {
      'HR file exported, synchronization starts': since(hrUpload?.startedAt),
      'HR synchronization answered': since(hrUpload?.endedAt),
      'first order created': since(least(created)),
      'last order created': since(most(created)),
      'first order leased': since(least(leased)),
      'last order leased': since(most(leased)),
      'first report recorded': since(least(answered)),
      'all orders Verified': round(seconds),
    },
    connector: summarize(site.connectorTimings),
    agentPort: summarize(new Map(Object.entries(site.port.totals))),
    leases: leaseSummary(site.port.leases),
    workItems: Object.fromEntries(site.port.leasedKinds),
  };
  return result;
}

/** The smallest and largest numbers, without spreading a large array into arguments; undefined for none. */
function least(values: readonly number[]): number | undefined {
  let result: number | undefined;
  for (const v of values) if (result === undefined || v < result) result = v;
  return result;
}

function most(values: readonly number[]): number | undefined {
  let result: number | undefined;
  for (const v of values) if (result === undefined || v > result) result = v;
  return result;
}

/**
 * The baseline is only a baseline if it wrote what Ordo wrote: a sample of Ordo's accounts must
 * carry the same attribute values as the raw ones of the same people.
 */
async function sameEntriesAsRaw(slapd: Slapd, ordoContainer: string, people: readonly HrPerson[]): Promise<void> {
  const step = Math.max(1, Math.floor(people.length / 20));
  const uids = people.filter((_, i) => i % step === 0).map((p) => personEntry(p, ordoContainer).attributes.uid ?? '');
  const [ordo, raw] = await Promise.all([
    readAccounts(slapd, ordoContainer, uids),
    readAccounts(slapd, rawProvisioningContainer(slapd), uids),
  ]);
  for (const uid of uids) {
    const a = JSON.stringify(ordo.get(uid) ?? null);
    const b = JSON.stringify(raw.get(uid) ?? null);
    if (a !== b) throw new Error(`bench: Ordo's entry of ${uid} is ${a}, the raw baseline's ${b}: not the same adds`);
  }
}

function leaseSummary(leases: readonly LeaseEvent[]): OrdoProvisioning['leases'] {
  const full = leases.filter((l) => l.items > 0);
  const items = full.reduce((sum, l) => sum + l.items, 0);
  const ms = full.reduce((sum, l) => sum + (l.endedAt - l.startedAt), 0);
  return {
    calls: leases.length,
    empty: leases.length - full.length,
    itemsPerCall: full.length ? round(items / full.length, 2) : 0,
    meanMsWithItems: full.length ? round(ms / full.length, 2) : 0,
  };
}

function summarize(
  timings: ReadonlyMap<string, { calls: number; ms: number }>,
): Record<string, { calls: number; seconds: number; meanMs: number }> {
  return Object.fromEntries(
    [...timings.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(([key, { calls, ms }]) => [
        key,
        { calls, seconds: round(ms / 1000), meanMs: calls ? round(ms / calls, 2) : 0 },
      ]),
  );
}
