#!/usr/bin/env node
import { Command } from 'commander';
import { registerAgentCommands } from './commands/agent-commands.ts';
import { registerComputeCommands } from './commands/compute-commands.ts';
import { registerConfigCommands } from './commands/config-commands.ts';
import { registerDemoCommand } from './commands/demo-command.ts';
import { registerOrderCommands } from './commands/order-commands.ts';
import { registerServeCommand } from './commands/serve-command.ts';
import { reportFailure } from './report-failure.ts';

const program = new Command()
  .name('ordo')
  .description('Ordo identity provisioning engine')
  .option('--db <url>', 'database: a SQLite file path or postgres:// URL (default: $DATABASE_URL or .ordo/ordo.sqlite)')
  .showHelpAfterError();

registerConfigCommands(program);
registerComputeCommands(program);
registerOrderCommands(program);
registerDemoCommand(program);
registerServeCommand(program);
registerAgentCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.exitCode = reportFailure(error);
});
