import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Model, provisioningStateNames } from '@ordo/core';
import {
  applyConfiguration,
  ComputeContext,
  type ConfigurationFile,
  computeRoleModel,
  createAccount,
  generateOrders,
  handOffManualOrders,
  loadAppliedModel,
  readConfigurationFolder,
  type Stores,
  systemClock,
} from '@ordo/server';
import type { Command } from 'commander';
import { prepareDemoFiles } from '../demo/demo-files.ts';
import { loadThroughExports } from '../demo/load-through-exports.ts';
import { startThrowawaySlapd, type ThrowawaySlapd } from '../demo/throwaway-slapd.ts';
import { print, table } from '../format.ts';
import { openStores, withStores } from '../open-stores.ts';
import { progressBar } from '../progress.ts';
import { runServer } from './serve-command.ts';

const demoCause = { kind: 'job' as const, id: 'demo' };
/** Incremental exports this often while the demo serves: an edit of the HR file or of Atlas shows within it. */
const demoExportSeconds = 20;

interface DemoOptions {
  example: string;
  ldap: boolean;
  ldapExample: string;
  port: string;
  serve: boolean;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'start afresh on the embedded default with demo data: HR file, an SQLite application (or OpenLDAP with --ldap), manual tickets',
    )
    .option('--example <dir>', 'example folder with the configuration and its starting data', 'examples/demo')
    .option('--ldap', 'provision a throwaway OpenLDAP (needs /usr/sbin/slapd) instead of the Atlas application')
    .option('--ldap-example <dir>', 'with --ldap: the folder whose files replace atlas.yaml', 'examples/demo-ldap')
    .option('--port <port>', 'HTTP port of the demo server (0: any free port, printed)', '8080')
    .option('--no-serve', 'prepare the demo database and its logins, then exit instead of serving')
    .action(async (options: DemoOptions) => {
      // The demo starts afresh in its own SQLite file (or the one --db names).
      const dbPath: string = program.opts().db ?? '.ordo/demo/ordo.sqlite';
      if (/^postgres/i.test(dbPath)) {
        throw Object.assign(new Error('the demo runs on a SQLite file; give --db a file path'), {
          code: 'CLI_INVALID_OPTION',
        });
      }
      const files = await demoConfiguration(options);
      let slapd: ThrowawaySlapd | null = null;
      if (options.ldap) {
        slapd = await startThrowawaySlapd(await readFile(join(options.ldapExample, 'directory.ldif'), 'utf8'));
        // The configuration names these as secrets; only the embedded agent, in this process, reads them.
        process.env.ORDO_DEMO_LDAP_URL = slapd.url;
        process.env.ORDO_DEMO_LDAP_PASSWORD = slapd.adminPassword;
      }
      try {
        for (const suffix of ['', '-wal', '-shm']) await rm(`${dbPath}${suffix}`, { force: true });
        await withStores(dbPath, (stores) => prepare(stores, files, options, dbPath, slapd));
      } catch (error) {
        await slapd?.stop();
        throw error;
      }
      if (!options.serve) {
        await slapd?.stop();
        return;
      }
      const address = await runServer(await openStores(dbPath), {
        port: options.port,
        host: '127.0.0.1',
        agent: true,
        leaseSeconds: '60',
        exportInterval: String(demoExportSeconds),
        completeExportHours: '24',
      });
      // A browser test reads this line: keep it exactly `Ordo demo: <address>`.
      print(`\nOrdo demo: ${address}`);
      print(`  Open ${address}/ in a browser and sign in with a login above (admin / ordo-demo-admin sees every`);
      print('  screen; docs/getting-started.md walks through a request from Modify Permissions to 4 Verified).');
      print(`  REST API: ${address}/api/openapi.json (docs/api.md). Ctrl-C stops the demo.`);
      print(
        `  The embedded agent provisions ${slapd ? `the directory (${slapd.url})` : 'Atlas (.ordo/demo/atlas.sqlite)'} now, and exports every ${demoExportSeconds} s`,
      );
      print('  (the HR file at once when it changes). Parking permits wait in Manual Provisioning as tickets.');
    });
}

/** The example's YAML files; with --ldap, atlas.yaml is replaced by the LDAP folder's files. */
async function demoConfiguration(options: DemoOptions): Promise<ConfigurationFile[]> {
  const base = await readConfigurationFolder(options.example);
  if (!options.ldap) return base;
  const overlay = await readConfigurationFolder(options.ldapExample);
  return [
    ...base.filter((file) => file.path !== 'atlas.yaml'),
    ...overlay.map((file) => ({ ...file, path: join(resolve(options.ldapExample), file.path) })),
  ];
}

async function prepare(
  stores: Stores,
  files: ConfigurationFile[],
  options: DemoOptions,
  dbPath: string,
  slapd: ThrowawaySlapd | null,
): Promise<void> {
  const deps = { stores, clock: systemClock };
  const { version } = await applyConfiguration(deps, files, demoCause);
  const { model } = await loadAppliedModel(stores);
  print(`Ordo demo: preparing ${dbPath} (configuration version ${version} from ${options.example})`);
  if (slapd) print(`  throwaway OpenLDAP on ${slapd.url} (dc=example,dc=org), stopped with the demo`);
  for (const line of await prepareDemoFiles(model, options.example)) print(`  ${line}`);

  // The same exports the embedded agent runs later, synchronized: HR's people, the application's accounts.
  for (const loaded of await loadThroughExports(stores)) {
    const count = await stores.resources.count(loaded.entityType);
    print(`  exported ${loaded.entityType} from ${loaded.connection}: ${count} (${loaded.message})`);
  }

  const bar = progressBar('computing');
  const computed = await computeRoleModel(deps, ComputeContext.create(model, stores), {
    scope: { kind: 'complete' },
    cause: demoCause,
    onProgress: bar.update,
  });
  bar.stop();
  print(`  ${computed.identities} identities computed, ${computed.assignmentsWritten} assignments`);
  const first = await generateOrders(deps, model, { cause: demoCause, newId: randomUUID });
  let generated = first;
  if (first.status === 'blocked') {
    // A first load of many accounts exceeds the percentage thresholds, as it would in
    // production; a person would read `ordo plan` and resume. The demo resumes for you.
    print('  order generation was blocked by thresholds (a safety net, resumed here for the demo):');
    for (const v of first.verdicts.filter((v) => v.exceeded)) {
      print(`    ${v.resourceTypeId} ${v.changeType}: ${v.count} orders > ${v.kind} limit ${v.limit}`);
    }
    generated = await generateOrders(deps, model, { cause: demoCause, resume: true, newId: randomUUID });
  }
  if (generated.status === 'completed') {
    print(`  ${generated.orders.length} orders generated (1 Pending), ${generated.held.length} held`);
  }
  // What the server's pipeline does first: manual orders become tickets (2 Transmitted).
  const tickets = await handOffManualOrders(deps, model, demoCause);
  print(`  ${tickets} manual tickets opened on Manual Provisioning`);

  const counts = await stores.assignments.countByState();
  print('\nassignments by provisioning state:');
  print(
    table(
      ['kind', 'state', 'count'],
      counts.map((c) => [c.kind, `${c.provisioningState} ${provisioningStateNames[c.provisioningState]}`, c.count]),
    ),
  );
  const accounts = await createDemoAccounts(stores, model);
  const db = `--db ${dbPath}`;
  print('\nnext:');
  print(`  npm run ordo -- ${db} orders list --state 1`);
  print(`  npm run ordo -- ${db} orders show <order id>`);
  printLogins(accounts);
}

interface DemoPerson {
  readonly login: string;
  readonly profile: string;
  readonly identity: 'manager' | 'report' | null;
  readonly duty: string;
}

/**
 * The demo's people, one per profile of the example configuration, with passwords everyone can
 * read: the demo database is a throwaway file on loopback. The Manager and the User are people of
 * the HR file, the User one of the Manager's team, so the Manager reaches the User's identity.
 */
const demoPeople: readonly DemoPerson[] = [
  { login: 'admin', profile: 'Administrator', identity: null, duty: 'everything' },
  { login: 'officer', profile: 'RoleOfficer', identity: null, duty: 'role review, role reconciliation' },
  {
    login: 'resources',
    profile: 'ResourceManager',
    identity: null,
    duty: 'provisioning review, manual provisioning, resource reconciliation',
  },
  { login: 'manager', profile: 'Manager', identity: 'manager', duty: 'requests and role review for their team' },
  { login: 'user', profile: 'User', identity: 'report', duty: 'their own permissions and requests' },
];

/**
 * A manager and one of their reports: the first person (by key) who manages someone who manages
 * nobody, and that report. Keys, not ids, since accounts are linked by identity key.
 */
async function managerAndReport(stores: Stores): Promise<{ manager: string; report: string } | null> {
  const people = await stores.resources.listByEntityType('Person', { limit: 100_000 });
  const managerOf = new Map<string, string>();
  const byId = new Map(people.map((p) => [p.id, p]));
  for (const person of people) {
    const manager = person.links.manager?.[0];
    if (manager) managerOf.set(person.id, manager);
  }
  const managers = new Set(managerOf.values());
  const sorted = [...people].sort((a, b) => a.key.localeCompare(b.key));
  for (const person of sorted) {
    if (managers.has(person.id)) continue;
    const manager = byId.get(managerOf.get(person.id) ?? '');
    if (manager) return { manager: manager.key, report: person.key };
  }
  return null;
}

async function createDemoAccounts(stores: Stores, model: Model) {
  const pair = await managerAndReport(stores);
  const created: { login: string; password: string; profile: string; identity: string; duty: string }[] = [];
  for (const person of demoPeople) {
    if (!model.profiles[person.profile]) continue;
    const identityKey = person.identity === null ? null : (pair?.[person.identity] ?? null);
    if (person.identity !== null && identityKey === null) continue;
    const password = `ordo-demo-${person.login}`;
    await createAccount({ stores, clock: systemClock, newId: randomUUID }, model, 'system:demo', {
      login: person.login,
      displayName: person.login,
      identityKey,
      profiles: [person.profile],
      password,
    });
    created.push({
      login: person.login,
      password,
      profile: person.profile,
      identity: identityKey ?? '',
      duty: person.duty,
    });
  }
  return created;
}

function printLogins(
  accounts: readonly { login: string; password: string; profile: string; identity: string; duty: string }[],
) {
  print('\ndemo logins:');
  print(
    table(
      ['login', 'password', 'profile', 'person', 'may'],
      accounts.map((a) => [a.login, a.password, a.profile, a.identity, a.duty]),
    ),
  );
}
