import { fileURLToPath } from 'node:url';
import { type RunningAgent, startAgent } from '@ordo/agent';
import {
  createOrdoRuntime,
  localAgent,
  readOidcSettings,
  readRequestAutoDecision,
  readSmtpSettings,
  SmtpSender,
  type Stores,
  systemClock,
} from '@ordo/server';
import type { Command } from 'commander';
import { type ExportOptionValues, exportSettings, withExportOptions } from '../export-options.ts';
import { print } from '../format.ts';
import { openStores } from '../open-stores.ts';

/** The web UI that `npm run build:web` builds; the server serves it at `/` (or says how to build it). */
const builtWebUi = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export function registerServeCommand(program: Command): void {
  const serve = program
    .command('serve')
    .description('run the server: HTTP API for agents, event-driven computation, and the embedded agent')
    .option('--port <port>', 'HTTP port', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--lease-seconds <n>', 'how long an agent holds leased orders before they are offered again', '60')
    .option('--no-agent', 'do not run the embedded agent (connectors of agent "local" then wait for one)')
    .option('--secure-cookies', 'mark session cookies Secure (Ordo is reached over HTTPS, through a TLS proxy)')
    .option(
      '--trust-proxy <addresses>',
      'reverse proxies whose X-Forwarded-For is believed (addresses or CIDRs, comma-separated)',
    );
  withExportOptions(serve).action(async (options: ServeOptions) => {
    await runServer(await openStores(program.opts().db), options);
  });
}

export type ServeOptions = {
  port: string;
  host: string;
  agent: boolean;
  leaseSeconds: string;
  secureCookies?: boolean;
  trustProxy?: string;
} & ExportOptionValues;

/**
 * Runs the server over open stores until SIGINT or SIGTERM: the HTTP API, the pipeline and, unless
 * `agent` is false, the embedded agent. `ordo serve` and `ordo demo` both end here.
 * @returns the address it listens on.
 */
export async function runServer(stores: Stores, options: ServeOptions): Promise<string> {
  const log = (line: string) => print(`${new Date().toISOString()} ${line}`);
  const leaseMs = Math.max(1, Number(options.leaseSeconds) || 60) * 1000;
  // People may also sign in through an OpenID Connect provider when ORDO_OIDC_* is set.
  const oidc = readOidcSettings();
  // Notifications go out by email when ORDO_SMTP_URL is set, to the log otherwise.
  const smtp = readSmtpSettings();
  const requestAutoDecision = readRequestAutoDecision();
  const runtime = await createOrdoRuntime({
    stores,
    clock: systemClock,
    log,
    leaseMs,
    ...(oidc ? { oidc: { settings: oidc } } : {}),
    ...(smtp ? { notificationSender: new SmtpSender(smtp) } : {}),
    ...(requestAutoDecision ? { requestAutoDecision } : {}),
    webRoot: builtWebUi,
    secureCookies: options.secureCookies === true,
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
  });
  const address = await runtime.app.listen({ port: Number(options.port), host: options.host });
  print(
    `Ordo listens on ${address} (web UI: ${address}/; API reference: ${address}/api/openapi.json; agents: ${address}/api/agent)`,
  );
  if (oidc) print(`  OpenID Connect sign-in through ${oidc.issuer}: ${address}/api/session/oidc/start`);
  let agent: RunningAgent | undefined;
  if (options.agent) {
    agent = await startAgent({
      port: runtime.agentService(localAgent),
      exports: exportSettings(options),
      log: (line) => log(`[agent] ${line}`),
    });
  }
  await runtime.pipeline.request();
  const shutdown = async (signal: string) => {
    log(`${signal}: draining the work in flight`);
    await agent?.stop();
    await runtime.close();
    await stores.database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  return address;
}
