/**
 * `npm run bench:api`: the web UI's reads at scale, against a raw baseline.
 *
 *   npm run -s bench:api -- [--identities 20000] [--db sqlite|postgres|both] [--calls 50] [--warmup 5]
 *
 * For each database: builds the API benchmark's organisation (bench/api-organisation.ts: the
 * compute benchmark's synthetic organisation with queues that are not empty), computes the role
 * model, generates the orders and hands off the manual ones, creates an Administrator account,
 * starts the server runtime in this process (no agent) on a free loopback port, signs in, and
 * times each route the web UI reads over real HTTP (fetch), then the raw baseline of each
 * (bench/api-raw-queries.ts) on the same database. Prints one JSON document on stdout; progress
 * goes to stderr. A benchmark, not a test: a slow route does not fail the command, a non-200 does.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Model } from '@ordo/core';
import {
  applyConfiguration,
  ComputeContext,
  computeRoleModel,
  createAccount,
  createOrdoRuntime,
  createStores,
  fixedClock,
  generateOrders,
  handOffManualOrders,
  loadAppliedModel,
  manualResourceTypes,
  migrateToLatest,
  openDatabase,
  readConfigurationFolder,
  resourceTypesOfSource,
  resourceTypesTargeting,
} from '@ordo/server';
import { parseApiBenchArguments } from './api-arguments.ts';
import {
  ADMIN_LOGIN,
  apiBenchConfiguration,
  directoryAccountBatches,
  IDENTITY_TYPE,
  RECONCILED_TARGET_TYPE,
} from './api-organisation.ts';
import { ratioOf } from './api-ratio.ts';
import {
  postgresReader,
  type RawContext,
  type RawReader,
  rawDirectorySearch,
  rawHome,
  rawOrders,
  rawPermissions,
  rawProvisioningReview,
  rawResourceReconciliation,
  sqliteReader,
} from './api-raw-queries.ts';
import { describeMachine } from './machine.ts';
import { summarizeLatencies } from './percentiles.ts';
import type { BenchDatabase } from './run-database-benchmark.ts';
import { seededRandom } from './seeded-random.ts';
import { groupResources, peopleBatches, personId } from './synthetic-organisation.ts';
import { withPostgresDatabase, withSqliteFile } from './throwaway-databases.ts';

/** The instant the whole run sees (computation, orders, sessions): results do not depend on the day. */
const BENCH_NOW = '2025-06-02T08:00:00.000Z';
const PAGE = 50;
/** What a person types in the Directory's search box: part of a last name, a first name, an employee number. */
const SEARCH_TERMS = ['ber', 'chloé', 'E00012', 'marlou', 'Samir'] as const;
/** Identities whose permissions are read, in turn: enough that no single one's rows stay hot in a cache. */
const PERMISSION_SAMPLES = 25;

const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const secondsSince = (fromMs: number) => round((performance.now() - fromMs) / 1000);

interface RouteCase {
  /** The route as the web UI calls it (the key of the JSON result). */
  readonly name: string;
  /** Call `i`'s path (some routes rotate over search terms or identities). */
  path(i: number): string;
  /** Call `i`'s raw baseline. */
  raw(reader: RawReader, i: number): Promise<unknown>;
}

interface RouteResult {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  readonly rawP50Ms: number;
  readonly rawP95Ms: number;
  /** p50 / rawP50 (from unrounded medians). */
  readonly ratio: number | null;
  readonly calls: number;
  /** Size of the first timed answer's body: what the route serialises and sends. */
  readonly responseBytes: number;
}

async function main(): Promise<void> {
  const args = parseApiBenchArguments(process.argv.slice(2), process.env);
  const startedAt = new Date().toISOString();
  const databases: Partial<Record<BenchDatabase, unknown>> = {};
  for (const database of args.databases) {
    log(`bench:api: ${database}, ${args.identities} identities, ${args.warmup} warm-up + ${args.calls} calls a route`);
    try {
      databases[database] =
        database === 'sqlite'
          ? await withSqliteFile('ordo-bench-api', (url) => runDatabase(database, url, args))
          : await withPostgresDatabase('ordo_bench_api', (url) => runDatabase(database, url, args));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`bench:api: ${database} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
      databases[database] = { error: message };
      process.exitCode = 1;
    }
  }
  const report = {
    benchmark: 'api-reads',
    startedAt,
    machine: describeMachine(),
    parameters: { identities: args.identities, calls: args.calls, warmup: args.warmup, page: PAGE, now: BENCH_NOW },
    databases,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

async function runDatabase(
  database: BenchDatabase,
  url: string,
  args: { identities: number; calls: number; warmup: number },
) {
  const tag = `[${database}]`;
  const clock = fixedClock(BENCH_NOW);
  const cause = { kind: 'job', id: 'bench-api' } as const;
  const prepareStarted = performance.now();
  const db = await openDatabase({ url });
  const configFolder = await mkdtemp(join(tmpdir(), 'ordo-bench-api-config-'));
  let closeRuntime: (() => Promise<void>) | null = null;
  let reader: RawReader | null = null;
  try {
    await migrateToLatest(db);
    const stores = createStores(db);
    for (const [name, text] of Object.entries(apiBenchConfiguration())) await writeFile(join(configFolder, name), text);
    await applyConfiguration({ stores, clock }, await readConfigurationFolder(configFolder), cause);
    const { model } = await loadAppliedModel(stores);

    let started = performance.now();
    await stores.resources.upsertMany(groupResources(), { dirty: true });
    for (const batch of peopleBatches(args.identities, 5000)) await stores.resources.upsertMany(batch, { dirty: true });
    let directoryAccounts = 0;
    for (const batch of directoryAccountBatches(args.identities, 5000)) {
      await stores.resources.upsertMany(batch, { dirty: true });
      directoryAccounts += batch.length;
    }
    const loadSeconds = secondsSince(started);
    log(`${tag} loaded ${args.identities} people and ${directoryAccounts} directory accounts in ${loadSeconds} s`);

    started = performance.now();
    const computed = await computeRoleModel({ stores, clock }, ComputeContext.create(model, stores), {
      scope: { kind: 'complete' },
      cause,
    });
    const computeSeconds = secondsSince(started);
    log(
      `${tag} computed: ${computed.assignmentsWritten} assignments, ${computed.errors.length} errors, ${computeSeconds} s`,
    );

    started = performance.now();
    let generated = await generateOrders({ stores, clock }, model, { cause, newId: randomUUID });
    // A first load exceeds the percentage thresholds, as in production; a person would resume.
    if (generated.status === 'blocked') {
      generated = await generateOrders({ stores, clock }, model, { cause, resume: true, newId: randomUUID });
    }
    if (generated.status !== 'completed') throw new Error(`order generation ended ${generated.status}`);
    const tickets = await handOffManualOrders({ stores, clock }, model, cause);
    const generateSeconds = secondsSince(started);
    log(`${tag} ${generated.orders.length} orders generated, ${tickets} manual tickets, ${generateSeconds} s`);

    // A random password per run, used only to sign in below: never printed.
    const password = randomBytes(24).toString('base64url');
    await createAccount({ stores, clock, newId: randomUUID }, model, 'system:bench', {
      login: ADMIN_LOGIN,
      displayName: 'Benchmark administrator',
      profiles: ['Administrator'],
      password,
    });

    const runtime = await createOrdoRuntime({
      stores,
      clock,
      log: (line) => log(`${tag} runtime: ${line}`),
      housekeepingMs: 3_600_000,
      jobSchedulerMs: 0,
    });
    closeRuntime = () => runtime.close();
    // Let the pipeline's first run finish, so that it does not compete with the measurements.
    await runtime.pipeline.request();
    const address = await runtime.app.listen({ port: 0, host: '127.0.0.1' });
    const cookie = await signIn(address, password);
    const prepareSeconds = secondsSince(prepareStarted);
    log(`${tag} server on ${address}, prepared in ${prepareSeconds} s`);

    reader = database === 'sqlite' ? sqliteReader(url) : await postgresReader(url);
    const context = rawContextOf(model);
    const routes = routeCases(args.identities, context);
    const results: Record<string, RouteResult> = {};
    let home: unknown = null;
    for (const route of routes) {
      const first = await get(address, cookie, route.path(0));
      if (route.name === 'GET /api/home') home = queueSizes(JSON.parse(first));
      for (let i = 0; i < args.warmup; i++) await get(address, cookie, route.path(i));
      const samples: number[] = [];
      let responseBytes = 0;
      for (let i = 0; i < args.calls; i++) {
        const t = performance.now();
        const body = await get(address, cookie, route.path(i));
        samples.push(performance.now() - t);
        if (i === 0) responseBytes = Buffer.byteLength(body);
      }
      for (let i = 0; i < args.warmup; i++) await route.raw(reader, i);
      const rawSamples: number[] = [];
      for (let i = 0; i < args.calls; i++) {
        const t = performance.now();
        await route.raw(reader, i);
        rawSamples.push(performance.now() - t);
      }
      const s = summarizeLatencies(samples);
      const r = summarizeLatencies(rawSamples);
      results[route.name] = {
        p50Ms: s.p50Ms,
        p95Ms: s.p95Ms,
        maxMs: s.maxMs,
        rawP50Ms: r.p50Ms,
        rawP95Ms: r.p95Ms,
        ratio: ratioOf(samples, rawSamples),
        calls: args.calls,
        responseBytes,
      };
      log(`${tag} ${route.name}: p50 ${s.p50Ms} ms, p95 ${s.p95Ms} ms, max ${s.maxMs} ms; raw p50 ${r.p50Ms} ms`);
    }

    const orders = await db.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return {
      database,
      setup: {
        identities: args.identities,
        directoryAccounts,
        assignmentsWritten: computed.assignmentsWritten,
        computeErrors: computed.errors.length,
        ordersGenerated: generated.orders.length,
        ordersInDatabase: Number(orders.n),
        manualTickets: tickets,
        loadSeconds,
        computeSeconds,
        generateSeconds,
        prepareSeconds,
      },
      /** What /api/home counted: the queues behind the routes (100 = "100+"). */
      queues: home,
      routes: results,
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await reader?.close();
    await closeRuntime?.();
    await db.close();
    await rm(configFolder, { recursive: true, force: true });
  }
}

/** The routes of the web UI, each with its raw baseline (bench/api-raw-queries.ts says what each leaves out). */
function routeCases(identities: number, c: RawContext): RouteCase[] {
  const random = seededRandom(0xa91);
  const sampled = Array.from({ length: PERMISSION_SAMPLES }, () => personId(random.int(identities)));
  const identityAt = (i: number) => sampled[i % sampled.length] as string;
  const termAt = (i: number) => SEARCH_TERMS[i % SEARCH_TERMS.length] as string;
  const directory = `/api/directory/${IDENTITY_TYPE}`;
  return [
    { name: 'GET /api/home', path: () => '/api/home', raw: (reader) => rawHome(reader, c) },
    {
      name: `GET ${directory}?q=…&limit=${PAGE}`,
      path: (i) => `${directory}?q=${encodeURIComponent(termAt(i))}&limit=${PAGE}`,
      raw: (reader, i) => rawDirectorySearch(reader, IDENTITY_TYPE, termAt(i), PAGE),
    },
    {
      name: `GET ${directory}`,
      path: () => directory,
      // The route's default page size is 50 as well (directory-routes.ts).
      raw: (reader) => rawDirectorySearch(reader, IDENTITY_TYPE, null, PAGE),
    },
    {
      name: `GET ${directory}/:id/permissions`,
      path: (i) => `${directory}/${encodeURIComponent(identityAt(i))}/permissions`,
      raw: (reader, i) => rawPermissions(reader, identityAt(i)),
    },
    {
      name: `GET /api/orders?limit=${PAGE}`,
      path: () => `/api/orders?limit=${PAGE}`,
      raw: (reader) => rawOrders(reader, {}, PAGE),
    },
    {
      name: `GET /api/orders?state=1&limit=${PAGE}`,
      path: () => `/api/orders?state=1&limit=${PAGE}`,
      raw: (reader) => rawOrders(reader, { states: [1] }, PAGE),
    },
    {
      name: `GET /api/manual-provisioning/${IDENTITY_TYPE}?limit=${PAGE}`,
      path: () => `/api/manual-provisioning/${IDENTITY_TYPE}?limit=${PAGE}`,
      raw: (reader) => rawOrders(reader, { states: [2], resourceTypeIds: c.manualResourceTypes }, PAGE),
    },
    {
      name: `GET /api/provisioning-review/${IDENTITY_TYPE}?limit=${PAGE}`,
      path: () => `/api/provisioning-review/${IDENTITY_TYPE}?limit=${PAGE}`,
      raw: (reader) => rawProvisioningReview(reader, c.sourceResourceTypes, PAGE),
    },
    {
      name: `GET /api/reconciliation/resources/${RECONCILED_TARGET_TYPE}?limit=${PAGE}`,
      path: () => `/api/reconciliation/resources/${RECONCILED_TARGET_TYPE}?limit=${PAGE}`,
      raw: (reader) =>
        rawResourceReconciliation(
          reader,
          RECONCILED_TARGET_TYPE,
          c.targetTypes.get(RECONCILED_TARGET_TYPE) ?? [],
          PAGE + 1,
        ),
    },
  ];
}

/** The model's answers the raw queries need, computed once, outside the timed baselines. */
function rawContextOf(model: Model): RawContext {
  const roles = (list: Record<string, { entityType: string }>) =>
    Object.entries(list)
      .filter(([, role]) => role.entityType === IDENTITY_TYPE)
      .map(([id]) => id);
  const targetTypes = new Map<string, string[]>();
  for (const entityType of Object.keys(model.entityTypes).sort()) {
    const targeting = resourceTypesTargeting(model, entityType);
    if (targeting.length > 0) targetTypes.set(entityType, targeting);
  }
  const sourceResourceTypes = resourceTypesOfSource(model, IDENTITY_TYPE);
  const manual = new Set(manualResourceTypes(model));
  return {
    identityType: IDENTITY_TYPE,
    sourceResourceTypes,
    manualResourceTypes: sourceResourceTypes.filter((id) => manual.has(id)),
    singleRoles: roles(model.singleRoles),
    compositeRoles: roles(model.compositeRoles),
    targetTypes,
  };
}

/** Signs the benchmark's account in, as the web UI does; returns its session cookie. */
async function signIn(address: string, password: string): Promise<string> {
  const answer = await fetch(`${address}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: ADMIN_LOGIN, password }),
  });
  if (answer.status !== 200) throw new Error(`sign-in answered ${answer.status}: ${await answer.text()}`);
  const cookie = answer.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith('ordo_session='));
  if (!cookie) throw new Error('sign-in set no ordo_session cookie');
  return cookie;
}

/** One GET with the session cookie; the body is read whole, as a browser would before rendering. */
async function get(address: string, cookie: string, path: string): Promise<string> {
  const answer = await fetch(`${address}${path}`, { headers: { cookie } });
  const body = await answer.text();
  if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}: ${body.slice(0, 300)}`);
  return body;
}

/** The counts of /api/home by screen (and entity type): the size of each queue the routes page through. */
function queueSizes(home: unknown): Record<string, string | number> {
  const duties: unknown[] = Array.isArray(home)
    ? home
    : ((home as { duties?: unknown[]; items?: unknown[] }).duties ?? (home as { items?: unknown[] }).items ?? []);
  const sizes: Record<string, string | number> = {};
  for (const d of duties as { screen: string; entityType: string | null; count: number | null; more: boolean }[]) {
    if (d.count === null) continue;
    sizes[d.entityType ? `${d.screen} ${d.entityType}` : d.screen] = d.more ? `${d.count}+` : d.count;
  }
  return sizes;
}

main().catch((error: unknown) => {
  log(`bench:api: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
