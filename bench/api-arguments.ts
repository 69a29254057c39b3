import { BenchArgumentError } from './bench-arguments.ts';
import type { BenchDatabase } from './run-database-benchmark.ts';

export interface ApiBenchArguments {
  readonly identities: number;
  readonly databases: readonly BenchDatabase[];
  /** Timed calls of each route (after the warm-up), and of each raw baseline. */
  readonly calls: number;
  /** Untimed calls of each route first: the first calls fill caches and JIT, as a running server has. */
  readonly warmup: number;
}

/**
 * `--identities N` (or BENCH_IDENTITIES; default 20,000), `--db sqlite|postgres|both` (default
 * sqlite), `--calls N` (default 50), `--warmup N` (default 5). The same syntax as bench:compute
 * (`--name value` or `--name=value`), with the defaults of a read benchmark.
 */
export function parseApiBenchArguments(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ApiBenchArguments {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match?.[1])
      throw new BenchArgumentError(`bench:api: unexpected argument "${arg}" (see bench/api.ts for the options)`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new BenchArgumentError(`bench:api: --${match[1]} needs a value`);
    values.set(match[1], value);
  }
  const known = ['identities', 'db', 'calls', 'warmup'];
  for (const name of values.keys()) {
    if (!known.includes(name))
      throw new BenchArgumentError(
        `bench:api: unknown option --${name}; known: ${known.map((k) => `--${k}`).join(', ')}`,
      );
  }
  const db = values.get('db') ?? 'sqlite';
  if (db !== 'sqlite' && db !== 'postgres' && db !== 'both') {
    throw new BenchArgumentError(`bench:api: --db must be sqlite, postgres or both, not "${db}"`);
  }
  return {
    identities: count('--identities', values.get('identities') ?? env.BENCH_IDENTITIES ?? '20000', 1),
    databases: db === 'both' ? ['sqlite', 'postgres'] : [db],
    calls: count('--calls', values.get('calls') ?? '50', 1),
    warmup: count('--warmup', values.get('warmup') ?? '5', 0),
  };
}

function count(name: string, text: string, min: 0 | 1): number {
  const n = Number(text.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < min) {
    const what = min === 1 ? 'a positive integer' : 'an integer ≥ 0';
    throw new BenchArgumentError(`bench:api: ${name} must be ${what}, not "${text}"`);
  }
  return n;
}
