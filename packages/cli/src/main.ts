#!/usr/bin/env node
import { Command } from 'commander';
import { registerAccountCommands } from './commands/account-commands.ts';
import { registerAgentCommands } from './commands/agent-commands.ts';
import { registerComputeCommands } from './commands/compute-commands.ts';
import { registerConfigCommands } from './commands/config-commands.ts';
import { registerDemoCommand } from './commands/demo-command.ts';
import { registerJobCommands } from './commands/job-commands.ts';
import { registerOrderCommands } from './commands/order-commands.ts';
import { registerServeCommand } from './commands/serve-command.ts';
import { selectDatabaseSchema } from './open-stores.ts';
import { reportFailure } from './report-failure.ts';

const program = new Command()
  .name('ordo')
  .description('Ordo identity provisioning engine')
  .option('--db <url>', 'database: a SQLite file path or postgres:// URL (default: $DATABASE_URL or .ordo/ordo.sqlite)')
  .option(
    '--db-schema <name>',
    "PostgreSQL only: the schema of Ordo's tables (default: $ORDO_DB_SCHEMA or the default schema)",
  )
  .hook('preAction', (root: Command) => selectDatabaseSchema(root.opts().dbSchema))
  .showHelpAfterError();

registerConfigCommands(program);
registerComputeCommands(program);
registerOrderCommands(program);
registerDemoCommand(program);
registerServeCommand(program);
registerAgentCommands(program);
registerAccountCommands(program);
registerJobCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.exitCode = reportFailure(error);
});
