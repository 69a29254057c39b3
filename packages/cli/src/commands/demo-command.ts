import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { provisioningStateNames } from '@ordo/core';
import {
  applyConfiguration,
  ComputeContext,
  computeRoleModel,
  generateOrders,
  importResources,
  loadAppliedModel,
  readConfigurationFolder,
  systemClock,
} from '@ordo/server';
import type { Command } from 'commander';
import { print, table } from '../format.ts';
import { withStores } from '../open-stores.ts';
import { progressBar } from '../progress.ts';
import { linkTargetsOf, parseImportFile } from './compute-commands.ts';

const demoCause = { kind: 'job' as const, id: 'demo' };

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('start afresh on the embedded default with the sample configuration and demo data')
    .option('--example <dir>', 'example folder with its configuration and data.json', 'examples/basic')
    .action(async (options: { example: string }) => {
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
        const db = `--db ${dbPath}`;
        print('\nnext:');
        print(`  npm run ordo -- ${db} orders list --state 1`);
        print(`  npm run ordo -- ${db} orders show <order id>`);
        print(`  npm run ordo -- ${db} plan ${options.example}`);
        print('The REST API (the web UI and ready-made demo logins come next):');
        print(
          `  ORDO_PASSWORD='choose one of 12+ chars' npm run ordo -- ${db} account create admin --profile Administrator`,
        );
        print(`  npm run ordo -- ${db} serve    # then POST /api/session, see docs/api.md and /api/openapi.json`);
      });
    });
}
