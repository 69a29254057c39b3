/**
 * `npm run bench:fulfil`: the fulfilment benchmark (issue 3, Benchmarks).
 *
 *   npm run -s bench:fulfil -- [--identities 5000] [--entries 50000] [--changes 200] [--concurrency 8]
 *                              [--hr-agent embedded|separate]
 *
 * One run, one fresh slapd (the test fixture), SQLite databases in temp dirs:
 * 1. end-to-end provisioning of N people from the HR CSV file to 4 Verified (one LDAP account and
 *    one staff membership each), with the embedded agent at concurrency C, against plain ldapts
 *    doing the same adds and member adds with C connections;
 * 2. latency of one HR change (a title, file replaced atomically) to its Modified order being
 *    4 Verified, K times one after the other, on the site of (1);
 * 3. complete export + synchronization of M LDAP entries against a raw paged search.
 * Prints one JSON document on stdout with the figures, the bars and whether each is met;
 * progress goes to stderr. A missed bar does not fail the command, a crash does.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type Slapd, startSlapd } from '../packages/connectors/test/support/slapd.ts';
import { parseFulfilArguments } from './fulfil-arguments.ts';
import { evaluateFulfilBars } from './fulfil-bars.ts';
import { measureChangeLatency } from './fulfil-change-latency.ts';
import { exportPageSize, measureExportSync } from './fulfil-export-sync.ts';
import { prepareOrdoSite } from './fulfil-ordo-site.ts';
import { benchPeople } from './fulfil-people.ts';
import { measureOrdoProvisioning, measureRawProvisioning } from './fulfil-provisioning.ts';
import { describeMachine } from './machine.ts';

const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const args = parseFulfilArguments(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const machine = {
    ...describeMachine(),
    slapd: await slapdVersion(),
  };
  log(
    `bench: fulfil, ${args.identities} identities, ${args.entries} entries, ${args.changes} changes, concurrency ${args.concurrency}, HR agent ${args.hrAgent}`,
  );
  const slapd = await startSlapd();
  try {
    const people = benchPeople(args.identities);

    log('bench: provisioning: raw ldapts baseline');
    const raw = await measureRawProvisioning(slapd, people, args.concurrency);
    log(`bench: provisioning: raw ${raw.seconds} s (${raw.identitiesPerSecond}/s)`);

    log('bench: provisioning: Ordo, HR file → 4 Verified');
    const site = await prepareOrdoSite({ slapd, people, log, hrAgent: args.hrAgent });
    let provisioning: Awaited<ReturnType<typeof measureOrdoProvisioning>>;
    let latency: Awaited<ReturnType<typeof measureChangeLatency>>;
    try {
      provisioning = await measureOrdoProvisioning(site, slapd, people, args.concurrency, log);
      log(`bench: provisioning: Ordo ${provisioning.seconds} s (${provisioning.identitiesPerSecond}/s)`);
      log(`bench: change latency: ${args.changes} changes`);
      latency = await measureChangeLatency(site, people, args.changes, log);
    } finally {
      await site.close();
    }

    log(`bench: export: ${args.entries} entries`);
    const exportSync = await measureExportSync(slapd, args.entries, args.concurrency, log);

    const provisioningRatio = round(provisioning.identitiesPerSecond / raw.identitiesPerSecond);
    const report = {
      benchmark: 'fulfil',
      startedAt,
      machine,
      parameters: {
        identities: args.identities,
        entries: args.entries,
        changes: args.changes,
        concurrency: args.concurrency,
        hrAgent: args.hrAgent,
        exportPageSize,
        database: 'sqlite',
        directory: 'OpenLDAP slapd (test fixture: mdb, dbnosync, memberof + syncprov when available)',
        slapdOverlays: slapd.overlays,
      },
      provisioning: {
        identities: args.identities,
        raw,
        ordo: provisioning,
        ratio: provisioningRatio,
      },
      changeLatency: latency,
      exportSync,
      bars: evaluateFulfilBars(args, {
        provisioningRatio,
        exportRatio: exportSync.ratio,
        latencyP50Ms: latency.p50Ms,
        latencyP99Ms: latency.p99Ms,
      }),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await destroy(slapd);
  }
}

async function destroy(slapd: Slapd): Promise<void> {
  await slapd.destroy().catch((error: unknown) => log(`bench: slapd cleanup failed: ${String(error)}`));
}

/** `slapd -VV` prints its version banner on stderr. */
async function slapdVersion(): Promise<string> {
  try {
    const { stderr } = await promisify(execFile)('/usr/sbin/slapd', ['-VV']);
    return /slapd ([\d.]+)/.exec(stderr)?.[1] ?? 'unknown';
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    return /slapd ([\d.]+)/.exec(stderr)?.[1] ?? 'unknown';
  }
}

main().catch((error: unknown) => {
  log(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
