import type { BenchDatabase } from './run-database-benchmark.ts';

export interface BenchArguments {
  readonly identities: number;
  readonly databases: readonly BenchDatabase[];
  readonly incrementalSamples: number;
  /** Set in the child process: run this one database and print its result. */
  readonly child: { readonly database: BenchDatabase; readonly url: string } | null;
}

export class BenchArgumentError extends Error {
  readonly code = 'BENCH_ARGUMENT_INVALID';
}

/**
 * `--identities N` (or BENCH_IDENTITIES), `--db sqlite|postgres|both`, `--incremental SAMPLES`;
 * `--child DB --url URL` is how the parent starts one measuring process per database.
 */
export function parseBenchArguments(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): BenchArguments {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match?.[1])
      throw new BenchArgumentError(`bench: unexpected argument "${arg}" (see bench/compute.ts for the options)`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new BenchArgumentError(`bench: --${match[1]} needs a value`);
    values.set(match[1], value);
  }
  const known = new Set(['identities', 'db', 'incremental', 'child', 'url']);
  for (const name of values.keys()) {
    if (!known.has(name))
      throw new BenchArgumentError(`bench: unknown option --${name}; known: --identities, --db, --incremental`);
  }
  const identities = positiveInteger('--identities', values.get('identities') ?? env.BENCH_IDENTITIES ?? '100000');
  const incrementalSamples = positiveInteger('--incremental', values.get('incremental') ?? '200');
  const db = values.get('db') ?? 'both';
  if (!['sqlite', 'postgres', 'both'].includes(db)) {
    throw new BenchArgumentError(`bench: --db must be sqlite, postgres or both, not "${db}"`);
  }
  const databases: BenchDatabase[] = db === 'both' ? ['sqlite', 'postgres'] : [db as BenchDatabase];
  const childDb = values.get('child');
  let child: BenchArguments['child'] = null;
  if (childDb !== undefined) {
    const url = values.get('url');
    if ((childDb !== 'sqlite' && childDb !== 'postgres') || !url) {
      throw new BenchArgumentError('bench: --child needs sqlite or postgres, and --url');
    }
    child = { database: childDb, url };
  }
  return { identities, databases, incrementalSamples, child };
}

function positiveInteger(name: string, text: string): number {
  const n = Number(text.replaceAll('_', ''));
  if (!Number.isInteger(n) || n <= 0)
    throw new BenchArgumentError(`bench: ${name} must be a positive integer, not "${text}"`);
  return n;
}
