import { randomBytes, randomUUID } from 'node:crypto';
import { createHttpAgentPort, readAgentEnvironment, startAgent } from '@ordo/agent';
import { systemClock } from '@ordo/server';
import type { Command } from 'commander';
import { type ExportOptionValues, exportSettings, withExportOptions } from '../export-options.ts';
import { print } from '../format.ts';
import { withStores } from '../open-stores.ts';

export function registerAgentCommands(program: Command): void {
  const agent = program
    .command('agent')
    .description("run a remote agent: it calls the server, leases its connectors' orders and runs them")
    .option(
      '--server <url>',
      'the server URL, or several nodes comma-separated for fail-over (default: $ORDO_SERVER_URL)',
    )
    .option('--concurrency <n>', 'orders at once per connector', '8');
  withExportOptions(agent).action(async (options: { server?: string; concurrency: string } & ExportOptionValues) => {
    const environment = readAgentEnvironment();
    const serverUrl = options.server ?? environment.serverUrl;
    if (!serverUrl) throw usage('--server URL (or ORDO_SERVER_URL) is required');
    // The token comes from the environment only, so that it never shows in a process list.
    if (!environment.token) throw usage('ORDO_AGENT_TOKEN must hold the agent token (`ordo agent token create NAME`)');
    const log = (line: string) => print(`${new Date().toISOString()} ${line}`);
    const running = await startAgent({
      port: createHttpAgentPort({
        serverUrl: serverUrl
          .split(',')
          .map((url) => url.trim())
          .filter((url) => url !== ''),
        token: environment.token,
      }),
      concurrency: Number(options.concurrency),
      exports: exportSettings(options),
      log,
    });
    const shutdown = async (signal: string) => {
      log(`${signal}: draining the work in flight`);
      await running.stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });

  agent
    .command('token')
    .description('agent API tokens')
    .command('create')
    .argument('<agent>', 'the agent name, as connectors name it in `agent:`')
    .description('create a token for an agent; it is printed once and stored only as a hash')
    .action(async (name: string) => {
      await withStores(program.opts().db, async (stores) => {
        const token = `ordo_agent_${randomBytes(32).toString('base64url')}`;
        await stores.agentTokens.create({ id: randomUUID(), agent: name, token, at: systemClock.now() });
        print(token);
      });
    });
}

function usage(message: string): Error {
  return Object.assign(new Error(message), { code: 'CLI_INVALID_OPTION' });
}
