import { describe, expect, it } from 'vitest';
import { parseApiBenchArguments } from '../api-arguments.ts';

describe('parseApiBenchArguments', () => {
  it('defaults to 20,000 identities on SQLite, 5 warm-up and 50 timed calls', () => {
    expect(parseApiBenchArguments([], {})).toEqual({ identities: 20_000, databases: ['sqlite'], calls: 50, warmup: 5 });
  });

  it('reads BENCH_IDENTITIES, and --identities wins over it; both forms of option', () => {
    expect(parseApiBenchArguments([], { BENCH_IDENTITIES: '2000' }).identities).toBe(2000);
    expect(parseApiBenchArguments(['--identities=5_000'], { BENCH_IDENTITIES: '2000' }).identities).toBe(5000);
    expect(parseApiBenchArguments(['--db', 'both', '--calls', '20', '--warmup', '0'], {})).toMatchObject({
      databases: ['sqlite', 'postgres'],
      calls: 20,
      warmup: 0,
    });
  });

  it('rejects what it does not understand, naming it', () => {
    expect(() => parseApiBenchArguments(['--db', 'mysql'], {})).toThrow(/--db must be sqlite, postgres or both/);
    expect(() => parseApiBenchArguments(['--calls', '0'], {})).toThrow(/--calls must be a positive integer/);
    expect(() => parseApiBenchArguments(['--warmup', '-1'], {})).toThrow(/--warmup must be an integer ≥ 0/);
    expect(() => parseApiBenchArguments(['--calls'], {})).toThrow(/needs a value/);
    // bench:compute's option means nothing here: said so, not ignored.
    expect(() => parseApiBenchArguments(['--incremental', '10'], {})).toThrow(/unknown option --incremental/);
    expect(() => parseApiBenchArguments(['fast'], {})).toThrow(/unexpected argument "fast"/);
  });
});
