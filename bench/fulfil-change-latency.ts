import { ProvisioningState } from '@ordo/core';
import { resourceIdFor } from '@ordo/server';
import { writeHrFile } from './fulfil-hr-file.ts';
import { epochMs } from './fulfil-observed-port.ts';
import type { OrdoSite } from './fulfil-ordo-site.ts';
import type { HrPerson } from './fulfil-people.ts';
import { waitUntil } from './fulfil-wait.ts';
import { type LatencySummary, summarizeLatencies } from './percentiles.ts';

/** The stages of one change, in ms, from the observed port and the order's creation time. */
export interface ChangeStages {
  /** File renamed in place → the agent's upload of the incremental export starts (watch, read, diff). */
  readonly watchAndExport: number;
  /** The server synchronizes the upload (the computation is started, not awaited). */
  readonly synchronize: number;
  /** Upload answered → the Modified order exists (computation and order generation). */
  readonly computeAndGenerate: number;
  /** Order created → a lease hands it to the agent. */
  readonly dispatch: number;
  /** Leased → its report is sent (LDAP update, read-back, report batching). */
  readonly fulfilAndReadBack: number;
  /** The server records the report (read-back verified: 4 Verified). */
  readonly report: number;
}

export interface ChangeLatency extends LatencySummary {
  /** p50 of the first and of the last tenth of the samples: whether latency drifts during the run. */
  readonly drift: { readonly firstTenthP50Ms: number; readonly lastTenthP50Ms: number };
  /** Per stage, over the samples: p50, p99 and max in ms. */
  readonly stages: Record<keyof ChangeStages, { p50Ms: number; p99Ms: number; maxMs: number }>;
}

/**
 * Changes one person's title in the HR file at a time (whole file written, then renamed over the
 * old one) and measures from the write until that person's new Modified order is 4 Verified.
 * The agent notices the file through its watch; nothing else nudges it. The next change starts
 * once the previous one is verified. Distinct people, spread over the file.
 */
export async function measureChangeLatency(
  site: OrdoSite,
  people: readonly HrPerson[],
  changes: number,
  log: (line: string) => void,
): Promise<ChangeLatency> {
  // Let the provisioning's last pipeline run finish, so the first sample does not wait for it.
  await site.runtime.pipeline.request();
  const current = [...people];
  const samples: number[] = [];
  const stages: ChangeStages[] = [];
  for (let k = 0; k < changes; k++) {
    const index = (k * 7919 + 13) % current.length;
    const person = current[index] as HrPerson;
    current[index] = { ...person, title: `Benchmark title ${k}` };
    const ownerId = resourceIdFor('Person', person.employeeId);
    const known = new Set((await site.stores.orders.list({ ownerId, limit: 1000 })).map((o) => o.id));

    const writtenAt = epochMs();
    const started = performance.now();
    await writeHrFile(site.hrPath, current);
    const order = await waitUntil(
      site.port,
      async () => {
        const orders = await site.stores.orders.list({ ownerId, limit: 1000 });
        const fresh = orders.find((o) => !known.has(o.id) && o.changeType === 'modified');
        if (fresh?.state === ProvisioningState.Errored) {
          throw new Error(`bench: the Modified order of ${person.employeeId} (change ${k + 1}) is Errored`);
        }
        return fresh?.state === ProvisioningState.Verified ? fresh : null;
      },
      { pollMs: 20, stalledMs: 30_000, what: `change ${k + 1} of ${person.employeeId}` },
    );
    const latencyMs = performance.now() - started;
    samples.push(latencyMs);

    const upload = site.port.uploads.find((u) => u.entityType === 'Person' && u.startedAt >= writtenAt);
    const leasedAt = site.port.leasedAt.get(order.id);
    const reported = site.port.reported.get(order.id);
    const createdAt = Date.parse(order.createdAt);
    if (upload && leasedAt !== undefined && reported) {
      stages.push({
        watchAndExport: upload.startedAt - writtenAt,
        synchronize: upload.endedAt - upload.startedAt,
        computeAndGenerate: createdAt - upload.endedAt,
        dispatch: leasedAt - createdAt,
        fulfilAndReadBack: reported.sentAt - leasedAt,
        report: reported.answeredAt - reported.sentAt,
      });
    }
    if ((k + 1) % 50 === 0 || k + 1 === changes) {
      log(`bench: change latency: ${k + 1}/${changes}, last ${Math.round(latencyMs)} ms`);
    }
  }
  const stageNames: (keyof ChangeStages)[] = [
    'watchAndExport',
    'synchronize',
    'computeAndGenerate',
    'dispatch',
    'fulfilAndReadBack',
    'report',
  ];
  const stageSummary = Object.fromEntries(
    stageNames.map((name) => {
      const summary = stages.length ? summarizeLatencies(stages.map((s) => s[name])) : null;
      return [name, { p50Ms: summary?.p50Ms ?? 0, p99Ms: summary?.p99Ms ?? 0, maxMs: summary?.maxMs ?? 0 }];
    }),
  ) as ChangeLatency['stages'];
  const tenth = Math.max(1, Math.floor(samples.length / 10));
  return {
    ...summarizeLatencies(samples),
    drift: {
      firstTenthP50Ms: summarizeLatencies(samples.slice(0, tenth)).p50Ms,
      lastTenthP50Ms: summarizeLatencies(samples.slice(-tenth)).p50Ms,
    },
    stages: stageSummary,
  };
}
