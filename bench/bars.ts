import type { DatabaseBenchmarkResult } from './run-database-benchmark.ts';

/** One target of the issue and how this run compares with it. */
export interface BarVerdict {
  readonly bar: string;
  readonly database: string;
  readonly limit: number;
  readonly unit: 's' | 'MiB' | 'ms';
  readonly measured: number;
  /** Null when the run is too small to judge a bar stated for 100,000 identities. */
  readonly met: boolean | null;
  readonly note?: string;
}

/** The bars are stated for this many identities on a 2-core machine. */
export const BAR_IDENTITIES = 100_000;

/**
 * The bars: 100,000 identities in ≤ 60 s on SQLite with peak RSS ≤ 1.5 GiB, and one changed
 * identity ≤ 20 ms p50 (judged on every database measured). A smaller run still shows the linear
 * projection of its compute time, but is not judged against the full-size bars.
 */
export function evaluateBars(results: readonly DatabaseBenchmarkResult[]): BarVerdict[] {
  const verdicts: BarVerdict[] = [];
  for (const result of results) {
    const fullSize = result.identities >= BAR_IDENTITIES;
    const smallNote = `measured at ${result.identities} identities; the bar is stated for ${BAR_IDENTITIES}`;
    if (result.database === 'sqlite') {
      const projected = Math.round((result.computeSeconds * BAR_IDENTITIES * 100) / result.identities) / 100;
      verdicts.push({
        bar: 'complete compute of 100,000 identities',
        database: result.database,
        limit: 60,
        unit: 's',
        measured: result.computeSeconds,
        met: fullSize ? result.computeSeconds <= 60 : null,
        ...(fullSize ? {} : { note: `${smallNote}; linear projection ${projected} s` }),
      });
      verdicts.push({
        bar: 'peak RSS of the complete compute',
        database: result.database,
        limit: 1536,
        unit: 'MiB',
        measured: result.peakRssMiB,
        met: fullSize ? result.peakRssMiB <= 1536 : null,
        ...(fullSize ? {} : { note: smallNote }),
      });
    }
    verdicts.push({
      bar: 'incremental compute of one changed identity, p50',
      database: result.database,
      limit: 20,
      unit: 'ms',
      measured: result.incremental.p50Ms,
      met: fullSize ? result.incremental.p50Ms <= 20 : null,
      ...(fullSize ? {} : { note: smallNote }),
    });
  }
  return verdicts;
}
