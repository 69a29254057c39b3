import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Model, provisioningStateNames } from '@ordo/core';
import {
  applyConfiguration,
  ComputeContext,
  computeRoleModel,
  createAccount,
  generateOrders,
  importResources,
  loadAppliedModel,
  readConfigurationFolder,
  type Stores,
  systemClock,
} from '@ordo/server';
import type { Command } from 'commander';
import { print, table } from '../format.ts';
import { openStores, withStores } from '../open-stores.ts';
import { progressBar } from '../progress.ts';
import { linkTargetsOf, parseImportFile } from './compute-commands.ts';
import { runServer } from './serve-command.ts';

const demoCause = { kind: 'job' as const, id: 'demo' };

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('start afresh on the embedded default with the sample configuration and demo data')
    .option('--example <dir>', 'example folder with its configuration and data.json', 'examples/basic')
    .option('--port <port>', 'HTTP port of the demo server', '8080')
    .option('--no-serve', 'prepare the demo database and its logins, then exit instead of serving')
    .action(async (options: { example: string; port: string; serve: boolean }) => {
      // The demo starts afresh in its own SQLite file (or the one --db names).
      const dbPath: string = program.opts().db ?? '.ordo/demo.sqlite';
      if (/^postgres/i.test(dbPath)) {
        throw Object.assign(new Error('the demo runs on a SQLite file; give --db a file path'), {
          code: 'CLI_INVALID_OPTION',
        });
      }
      for (const suffix of ['', '-wal', '-shm']) await rm(`${dbPath}${suffix}`, { force: true });
      await withStores(dbPath, async (stores) => {
        const deps = { stores, clock: systemClock };
        const files = await readConfigurationFolder(options.example);
        const { version } = await applyConfiguration(deps, files, demoCause);
        const { model } = await loadAppliedModel(stores);
        const dataFile = join(options.example, 'data.json');
        const records = parseImportFile(dataFile, await readFile(dataFile, 'utf8'));
        const { imported } = await importResources({ stores }, records, linkTargetsOf(model));
        const bar = progressBar('computing');
        const computed = await computeRoleModel(deps, ComputeContext.create(model, stores), {
          scope: { kind: 'complete' },
          cause: demoCause,
          onProgress: bar.update,
        });
        bar.stop();
        const first = await generateOrders(deps, model, { cause: demoCause, newId: randomUUID });
        print(`Ordo demo ready in ${dbPath}`);
        print(`  configuration version ${version} from ${options.example}; ${imported} resources imported`);
        print(`  ${computed.identities} identities computed, ${computed.assignmentsWritten} assignments`);
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
          print(`  ${generated.orders.length} orders generated (state 1 Pending), ${generated.held.length} held`);
        }
        const counts = await stores.assignments.countByState();
        print('\nassignments by provisioning state:');
        print(
          table(
            ['kind', 'state', 'count'],
            counts.map((c) => [
              c.kind,
              `${c.provisioningState} ${provisioningStateNames[c.provisioningState]}`,
              c.count,
            ]),
          ),
        );
        const accounts = await createDemoAccounts(stores, model);
        const db = `--db ${dbPath}`;
        print('\nnext:');
        print(`  npm run ordo -- ${db} orders list --state 1`);
        print(`  npm run ordo -- ${db} orders show <order id>`);
        print(`  npm run ordo -- ${db} plan ${options.example}`);
        printLogins(accounts);
      });
      if (!options.serve) return;
      const address = await runServer(await openStores(dbPath), {
        port: options.port,
        host: '127.0.0.1',
        agent: true,
        leaseSeconds: '60',
        exportInterval: '60',
        completeExportHours: '24',
      });
      print(`\nOrdo demo: ${address}  (REST API: ${address}/api/openapi.json, docs/api.md; the web UI comes next)`);
      print(
        '  sign in: POST /api/session { "login": "admin", "password": "ordo-demo-admin" }  (logins above; Ctrl-C stops)',
      );
      print('  The demo directory (LDAP) is not running here: its orders wait in 1 Pending, the manual');
      print('  badges are on Manual Provisioning (GET /api/manual-provisioning/Person).');
    });
}

/**
 * The demo's people, one per profile of the example configuration, with passwords everyone can
 * read: the demo database is a throwaway file on loopback. E00006 manages E00025, so the Manager
 * reaches the User's identity.
 */
const demoPeople = [
  { login: 'admin', profile: 'Administrator', identity: null, duty: 'everything' },
  { login: 'officer', profile: 'RoleOfficer', identity: null, duty: 'role review, role reconciliation' },
  { login: 'resources', profile: 'ResourceManager', identity: null, duty: 'provisioning review, manual provisioning' },
  { login: 'manager', profile: 'Manager', identity: 'E00006', duty: 'requests and role review for their team' },
  { login: 'user', profile: 'User', identity: 'E00025', duty: 'their own permissions and requests' },
] as const;

async function createDemoAccounts(stores: Stores, model: Model) {
  const created: { login: string; password: string; profile: string; duty: string }[] = [];
  for (const person of demoPeople) {
    if (!model.profiles[person.profile]) continue;
    const password = `ordo-demo-${person.login}`;
    await createAccount({ stores, clock: systemClock, newId: randomUUID }, model, 'system:demo', {
      login: person.login,
      displayName: person.login,
      identityKey: person.identity,
      profiles: [person.profile],
      password,
    });
    created.push({ login: person.login, password, profile: person.profile, duty: person.duty });
  }
  return created;
}

function printLogins(accounts: readonly { login: string; password: string; profile: string; duty: string }[]) {
  print('\ndemo logins:');
  print(
    table(
      ['login', 'password', 'profile', 'may'],
      accounts.map((a) => [a.login, a.password, a.profile, a.duty]),
    ),
  );
}
