import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningAgent, startAgent } from '@ordo/agent';
import { createOrdoRuntime, localAgent, type OrdoRuntime, type Stores, systemClock } from '@ordo/server';
import { writeLdapConfiguration } from '../packages/agent/test/support/ldap-configuration.ts';
import { openLdapSite } from '../packages/agent/test/support/ldap-site.ts';
import type { Slapd } from '../packages/connectors/test/support/slapd.ts';
import { writeHrFile } from './fulfil-hr-file.ts';
import { PortObserver } from './fulfil-observed-port.ts';
import type { HrPerson } from './fulfil-people.ts';
import { type ConnectorTimings, openTimedConnector } from './fulfil-timed-connector.ts';

/** The environment variable the configuration's `bindPassword: env:...` names. */
export const ldapPasswordVariable = 'ORDO_BENCH_LDAP_PASSWORD';

/**
 * Ordo as `ordo serve` runs it with its embedded agent: a SQLite database in a temp dir with the
 * LDAP configuration applied (HR = a CSV file read by the agent, Directory = the slapd), the
 * runtime (pipeline, agent service, watchdog), and the agent, started on demand.
 */
export interface OrdoSite {
  readonly stores: Stores;
  readonly runtime: OrdoRuntime;
  /** What the agents asked of the server, and when. */
  readonly port: PortObserver;
  readonly connectorTimings: ConnectorTimings;
  /** The HR file the agent watches. */
  readonly hrPath: string;
  /** Where the agent creates accounts. */
  readonly peopleDn: string;
  /** Starts the embedded agent: its first act is the exports (HR file, directory). */
  startAgent(concurrency: number): Promise<RunningAgent>;
  /** Stops the agent (draining), the runtime and the database; removes the temp files. */
  close(): Promise<void>;
}

/** Prepares a site whose HR file holds `people`; nothing runs until `startAgent`. */
export async function prepareOrdoSite(options: {
  readonly slapd: Slapd;
  readonly people: readonly HrPerson[];
  readonly log: (line: string) => void;
  /**
   * The agent serving the HR file: the embedded one (default, as the issue describes the setup),
   * or a second in-process agent of its own, so that the directory's agent leases for Directory
   * alone (a diagnostic: see the report's notes on the lease loop).
   */
  readonly hrAgent?: 'embedded' | 'separate';
}): Promise<OrdoSite> {
  const { slapd, log } = options;
  const hrAgent = options.hrAgent === 'separate' ? 'hr' : localAgent;
  const dir = await mkdtemp(join(tmpdir(), 'ordo-bench-fulfil-'));
  const cleanups: (() => Promise<void>)[] = [() => rm(dir, { recursive: true, force: true })];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  };
  try {
    const hrPath = join(dir, 'hr', 'people.csv');
    await mkdir(join(dir, 'hr'));
    await writeHrFile(hrPath, options.people);
    process.env[ldapPasswordVariable] = slapd.adminPassword;
    const configFolder = writeLdapConfiguration({
      ldapUrl: slapd.url,
      bindDn: slapd.adminDn,
      passwordVariable: ldapPasswordVariable,
      peopleDn: slapd.peopleDn,
      groupsDn: slapd.groupsDn,
      directoryAgent: localAgent,
      hr: { kind: 'csv', agent: hrAgent, settings: { path: hrPath, stateDirectory: join(dir, 'csv-state') } },
    });
    cleanups.push(() => rm(configFolder, { recursive: true, force: true }));

    // The staff group is known as the first directory synchronization would have brought it.
    const site = await openLdapSite({
      configFolder,
      databaseUrl: join(dir, 'ordo.sqlite'),
      staffGroupDn: slapd.groups.staff,
    });
    cleanups.push(() => site.close());
    const { stores } = site;

    const runtime = await createOrdoRuntime({ stores, clock: systemClock, log: (line) => log(`[server] ${line}`) });
    cleanups.push(() => runtime.close());
    const port = new PortObserver();
    const connectorTimings: ConnectorTimings = new Map();
    let agent: RunningAgent | null = null;
    return {
      stores,
      runtime,
      port,
      connectorTimings,
      hrPath,
      peopleDn: slapd.peopleDn,
      async startAgent(concurrency) {
        if (agent) throw new Error('bench: the agent is already running');
        if (hrAgent !== localAgent) {
          const hr = await startAgent({
            port: port.observe(runtime.agentService(hrAgent)),
            exports: { enabled: true, intervalMs: null },
            openConnector: openTimedConnector(connectorTimings),
            log: (line) => log(`[hr agent] ${line}`),
          });
          cleanups.push(() => hr.stop());
        }
        const started = await startAgent({
          port: port.observe(runtime.agentService(localAgent)),
          concurrency,
          exports: { enabled: true, intervalMs: null },
          openConnector: openTimedConnector(connectorTimings),
          log: (line) => log(`[agent] ${line}`),
        });
        agent = started;
        cleanups.push(() => started.stop());
        return started;
      },
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
