/**
 * `npm run bench:compute`: the role-model computation benchmark.
 *
 *   npm run bench:compute -- [--identities 100000] [--db sqlite|postgres|both] [--incremental 200]
 *
 * Builds a synthetic organisation (bench/synthetic-organisation.ts), and for each database, in a
 * child process of its own (so that peak RSS is per database), measures the resource load, a
 * complete computation, the raw baseline (the same number of rows written with plain multi-row
 * INSERTs), and the incremental computation of one changed identity. Prints one JSON document on
 * stdout, with the issue's bars and whether each is met; progress goes to stderr. A benchmark,
 * not a test: a missed bar does not fail the command, a crash does.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { evaluateBars } from './bars.ts';
import { type BenchArguments, parseBenchArguments } from './bench-arguments.ts';
import { describeMachine } from './machine.ts';
import { type BenchDatabase, type DatabaseBenchmarkResult, runDatabaseBenchmark } from './run-database-benchmark.ts';
import { withPostgresDatabase, withSqliteFile } from './throwaway-databases.ts';

/** The instant every computation of the run sees: results do not depend on the day it runs. */
const BENCH_NOW = '2025-06-02T08:00:00.000Z';
const RESULT_PREFIX = 'BENCH_RESULT ';

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const args = parseBenchArguments(process.argv.slice(2), process.env);
  if (args.child) {
    const result = await runDatabaseBenchmark({
      database: args.child.database,
      url: args.child.url,
      identities: args.identities,
      incrementalSamples: args.incrementalSamples,
      now: BENCH_NOW,
      log,
    });
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
    return;
  }

  const startedAt = new Date().toISOString();
  const databases: Partial<Record<BenchDatabase, DatabaseBenchmarkResult | { error: string }>> = {};
  for (const database of args.databases) {
    log(`bench: ${database}, ${args.identities} identities, ${args.incrementalSamples} incremental samples`);
    try {
      databases[database] =
        database === 'sqlite'
          ? await withSqliteFile('ordo-bench', (url) => runChild(args, database, url))
          : await withPostgresDatabase('ordo_bench', (url) => runChild(args, database, url));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`bench: ${database} failed: ${message}`);
      databases[database] = { error: message };
      process.exitCode = 1;
    }
  }
  const results = Object.values(databases).filter((r): r is DatabaseBenchmarkResult => !('error' in r));
  const report = {
    benchmark: 'compute-role-model',
    startedAt,
    machine: describeMachine(),
    parameters: {
      identities: args.identities,
      incrementalSamples: args.incrementalSamples,
      singleRoles: 50,
      compositeRoles: 10,
      resourceTypes: 5,
      now: BENCH_NOW,
    },
    databases,
    bars: evaluateBars(results),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

/** Runs this script again in a child process for one database; its last stdout line is the result. */
function runChild(args: BenchArguments, database: BenchDatabase, url: string): Promise<DatabaseBenchmarkResult> {
  const script = fileURLToPath(import.meta.url);
  // execArgv carries tsx's loader (and --cpu-prof when profiling), so the child runs like the parent.
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      script,
      '--child',
      database,
      '--url',
      url,
      '--identities',
      String(args.identities),
      '--incremental',
      String(args.incrementalSamples),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) return resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as DatabaseBenchmarkResult);
      reject(
        new Error(
          `the ${database} benchmark process ended with ${signal ?? `exit code ${code}`} and no result (see stderr above)`,
        ),
      );
    });
  });
}

main().catch((error: unknown) => {
  log(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
