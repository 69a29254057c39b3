import { compileConfiguration, configurationJsonSchema } from '@ordo/core';
import {
  applyConfiguration,
  compileOrThrow,
  planConfiguration,
  readConfigurationFolder,
  systemClock,
} from '@ordo/server';
import type { Command } from 'commander';
import { formatProblems, print, table } from '../format.ts';
import { withStores } from '../open-stores.ts';

const cliCause = { kind: 'user' as const, id: 'cli' };

export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('configuration as code: check, apply, schema');

  config
    .command('check')
    .argument('<dir>', 'folder of YAML files')
    .description('list every problem of a configuration folder (file, line, path, message); applies nothing')
    .action(async (dir: string) => {
      const result = compileConfiguration(await readConfigurationFolder(dir));
      if (result.ok) {
        const m = result.model;
        print(
          `${dir}: no problem (${Object.keys(m.entityTypes).length} entity types, ${Object.keys(m.resourceTypes).length} resource types, ` +
            `${Object.keys(m.singleRoles).length} single roles, ${Object.keys(m.compositeRoles).length} composite roles)`,
        );
        return;
      }
      print(formatProblems(result.problems));
      print(`\n${result.problems.length} problem(s) in ${dir}; nothing was applied.`);
      process.exitCode = 1;
    });

  config
    .command('apply')
    .argument('<dir>', 'folder of YAML files')
    .description('check, then store the configuration as a new numbered version')
    .action(async (dir: string) => {
      const files = await readConfigurationFolder(dir);
      await withStores(program.opts().db, async (stores) => {
        const result = await applyConfiguration({ stores, clock: systemClock }, files, cliCause);
        print(
          result.unchanged
            ? `configuration unchanged: version ${result.version} already holds this folder`
            : `applied configuration version ${result.version}; ${result.dirtyIdentities} identities marked for computation`,
        );
      });
    });

  config
    .command('versions')
    .description('list the applied configuration versions')
    .action(async () => {
      await withStores(program.opts().db, async (stores) => {
        const versions = await stores.configVersions.list();
        print(
          table(
            ['version', 'applied at', 'by', 'hash'],
            versions.map((v) => [v.number, v.appliedAt, v.appliedBy, v.hash.slice(0, 12)]),
          ),
        );
      });
    });

  config
    .command('schema')
    .description('print the JSON Schema of configuration files (for editor completion)')
    .action(() => print(JSON.stringify(configurationJsonSchema(), null, 2)));

  program
    .command('plan')
    .argument('<dir>', 'folder of YAML files')
    .description(
      'what applying this configuration would do: orders per resource type and change type, thresholds; writes nothing',
    )
    .option('--json', 'print the plan as JSON')
    .action(async (dir: string, options: { json?: boolean }) => {
      const model = compileOrThrow(await readConfigurationFolder(dir));
      await withStores(program.opts().db, async (stores) => {
        const plan = await planConfiguration({ stores, clock: systemClock }, model);
        if (options.json) return print(JSON.stringify(plan, null, 2));
        print(`identities evaluated: ${plan.identities}`);
        const rows = Object.entries(plan.orders).map(([rt, c]) => [rt, c.added, c.modified, c.deleted]);
        print(
          rows.length ? table(['resource type', 'added', 'modified', 'deleted'], rows) : 'no order would be generated',
        );
        print(`awaiting provisioning review: ${plan.awaitingApproval}`);
        if (plan.verdicts.length) {
          print('\nthresholds:');
          print(
            table(
              ['resource type', 'change', 'orders', 'limit', 'kind', 'verdict'],
              plan.verdicts.map((v) => [
                v.resourceTypeId,
                v.changeType,
                v.count,
                v.limit,
                v.kind,
                v.exceeded ? 'EXCEEDED' : 'ok',
              ]),
            ),
          );
        }
        if (plan.blocked)
          print('\nthe next generation run would be BLOCKED until a person resumes it (ordo orders generate --resume)');
        if (plan.errors.length) {
          print(`\n${plan.errors.length} evaluation error(s), first ones:`);
          for (const e of plan.errors.slice(0, 10)) print(`  ${e.ownerId} ${e.ruleId}: ${e.message}`);
        }
      });
    });
}
