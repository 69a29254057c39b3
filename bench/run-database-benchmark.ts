import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyConfiguration,
  ComputeContext,
  computeRoleModel,
  createStores,
  fixedClock,
  loadAppliedModel,
  migrateToLatest,
  openDatabase,
  readConfigurationFolder,
} from '@ordo/server';
import { postgresBaseline, sqliteBaseline } from './baseline-insert.ts';
import { type LatencySummary, summarizeLatencies } from './percentiles.ts';
import { seededRandom } from './seeded-random.ts';
import {
  changedPerson,
  groupResources,
  peopleBatches,
  personId,
  syntheticConfiguration,
} from './synthetic-organisation.ts';
import { type StoreTimings, timedStores, timingBreakdown } from './timed-stores.ts';

export type BenchDatabase = 'sqlite' | 'postgres';

export interface DatabaseBenchmarkOptions {
  readonly database: BenchDatabase;
  /** SQLite file path, or postgres:// URL of an empty database. */
  readonly url: string;
  readonly identities: number;
  readonly incrementalSamples: number;
  readonly now: string;
  /** Progress lines (stderr in the CLI). */
  readonly log: (line: string) => void;
}

export interface DatabaseBenchmarkResult {
  readonly database: BenchDatabase;
  readonly identities: number;
  readonly loadSeconds: number;
  readonly computeSeconds: number;
  readonly identitiesPerSecond: number;
  readonly assignmentsWritten: number;
  readonly assignmentsPerIdentity: number;
  readonly assignmentsByKind: Record<string, number>;
  readonly ledgerEntries: number;
  readonly computeErrors: number;
  readonly firstComputeError: { ownerId: string; ruleId: string; message: string } | null;
  /** Where the complete compute's wall time went: each store call, and the rest (the engine). */
  readonly computeBreakdown: Record<string, { calls: number; seconds: number }>;
  readonly baselineSeconds: number;
  /** computeSeconds / baselineSeconds: how many times the bare cost of storing the result. */
  readonly ratioToBaseline: number;
  readonly incremental: LatencySummary & {
    readonly assignmentsWrittenPerSample: number;
    readonly breakdownOfAllSamples: Record<string, { calls: number; seconds: number }>;
  };
  /** Peak resident set of the process that ran this database, load and compute included. */
  readonly peakRssMiB: number;
}

const ASSIGNMENT_TABLES = {
  composite_role: 'assigned_composite_roles',
  single_role: 'assigned_single_roles',
  resource_type: 'assigned_resource_types',
  navigation: 'assigned_navigations',
  scalar: 'assigned_scalars',
} as const;

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
const seconds = (fromMs: number) => (performance.now() - fromMs) / 1000;

/**
 * One database's run, in the process that measures it: configuration applied as a user would
 * (YAML folder → readConfigurationFolder → applyConfiguration), resources loaded, a complete
 * computation, the raw baseline, then incremental computations of one changed identity each with
 * the same warm ComputeContext, as a long-lived server would run them after each event.
 */
export async function runDatabaseBenchmark(options: DatabaseBenchmarkOptions): Promise<DatabaseBenchmarkResult> {
  const { log } = options;
  const clock = fixedClock(options.now);
  const cause = { kind: 'job', id: 'bench-compute' } as const;
  const database = await openDatabase({ url: options.url });
  const configFolder = await mkdtemp(join(tmpdir(), 'ordo-bench-config-'));
  try {
    await migrateToLatest(database);
    const stores = createStores(database);

    for (const [name, text] of Object.entries(syntheticConfiguration()))
      await writeFile(join(configFolder, name), text);
    const files = await readConfigurationFolder(configFolder);
    const applied = await applyConfiguration({ stores, clock }, files, cause);
    const { model } = await loadAppliedModel(stores);
    log(`[${options.database}] configuration version ${applied.version} applied (${files.length} files)`);

    const loadStarted = performance.now();
    await stores.resources.upsertMany(groupResources(), { dirty: true });
    let loaded = 0;
    for (const batch of peopleBatches(options.identities, 5000)) {
      await stores.resources.upsertMany(batch, { dirty: true });
      loaded += batch.length;
      if (loaded % 20_000 === 0 || loaded === options.identities) {
        log(`[${options.database}] loaded ${loaded}/${options.identities} identities`);
      }
    }
    const loadSeconds = seconds(loadStarted);
    log(`[${options.database}] load: ${round(loadSeconds, 2)} s`);

    const timings: StoreTimings = new Map();
    const measured = timedStores(stores, timings);
    const context = ComputeContext.create(model, measured);
    let lastLogged = 0;
    const computeStarted = performance.now();
    const summary = await computeRoleModel({ stores: measured, clock }, context, {
      scope: { kind: 'complete' },
      cause,
      onProgress: (done, total) => {
        if (done - lastLogged >= 10_000 || done === total) {
          lastLogged = done;
          log(`[${options.database}] computed ${done}/${total} identities (${round(seconds(computeStarted), 1)} s)`);
        }
      },
    });
    const computeSeconds = seconds(computeStarted);
    const computeBreakdown = timingBreakdown(timings, computeSeconds * 1000);
    timings.clear();
    log(
      `[${options.database}] complete compute: ${round(computeSeconds, 2)} s, ${summary.assignmentsWritten} assignments, ${summary.errors.length} errors`,
    );

    const assignmentsByKind: Record<string, number> = {};
    for (const [kind, table] of Object.entries(ASSIGNMENT_TABLES)) {
      const row = await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      assignmentsByKind[kind] = Number(row.n);
    }

    const baselineSeconds =
      options.database === 'sqlite'
        ? sqliteBaseline(options.url, summary.assignmentsWritten)
        : await postgresBaseline(options.url, summary.assignmentsWritten);
    log(`[${options.database}] baseline: ${summary.assignmentsWritten} rows in ${round(baselineSeconds, 2)} s`);

    // The complete run leaves the loaded groups flagged dirty (it only clears identities), so the
    // next incremental run reloads the directory once; a long-lived server has done that already.
    await computeRoleModel({ stores, clock }, context, { scope: { kind: 'dirty' }, cause });
    const random = seededRandom(0xbe4c);
    const latencies: number[] = [];
    let incrementalWritten = 0;
    let incrementalMs = 0;
    for (let sample = 0; sample < options.incrementalSamples; sample++) {
      const id = personId(random.int(options.identities));
      const current = await stores.resources.get(id);
      if (!current) throw new Error(`bench: identity ${id} was loaded but cannot be read back`);
      await stores.resources.upsertMany([changedPerson(current, random)], { dirty: true });
      const started = performance.now();
      const result = await computeRoleModel({ stores: measured, clock }, context, { scope: { kind: 'dirty' }, cause });
      const elapsed = performance.now() - started;
      latencies.push(elapsed);
      incrementalMs += elapsed;
      if (result.identities !== 1) {
        throw new Error(`bench: the incremental compute of ${id} computed ${result.identities} identities, expected 1`);
      }
      incrementalWritten += result.assignmentsWritten + result.assignmentsRemoved;
    }
    const incremental = {
      ...summarizeLatencies(latencies),
      assignmentsWrittenPerSample: round(incrementalWritten / Math.max(1, options.incrementalSamples), 2),
      breakdownOfAllSamples: timingBreakdown(timings, incrementalMs),
    };
    log(`[${options.database}] incremental: p50 ${incremental.p50Ms} ms, p99 ${incremental.p99Ms} ms`);

    const nonScalar = Object.entries(assignmentsByKind)
      .filter(([kind]) => kind !== 'scalar')
      .reduce((sum, [, n]) => sum + n, 0);
    return {
      database: options.database,
      identities: options.identities,
      loadSeconds: round(loadSeconds),
      computeSeconds: round(computeSeconds),
      identitiesPerSecond: Math.round(options.identities / computeSeconds),
      assignmentsWritten: summary.assignmentsWritten,
      assignmentsPerIdentity: round(nonScalar / options.identities, 2),
      assignmentsByKind,
      ledgerEntries: summary.stateChanges,
      computeBreakdown,
      computeErrors: summary.errors.length,
      firstComputeError: summary.errors[0] ?? null,
      baselineSeconds: round(baselineSeconds),
      ratioToBaseline: round(computeSeconds / baselineSeconds, 1),
      incremental,
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await database.close();
    await rm(configFolder, { recursive: true, force: true });
  }
}
