import { describe, expect, it } from 'vitest';
import { parseBenchArguments } from '../bench-arguments.ts';

describe('parseBenchArguments', () => {
  it('defaults to 100,000 identities on both databases with 200 samples', () => {
    expect(parseBenchArguments([], {})).toEqual({
      identities: 100_000,
      databases: ['sqlite', 'postgres'],
      incrementalSamples: 200,
      child: null,
    });
  });

  it('reads BENCH_IDENTITIES, and --identities wins over it', () => {
    expect(parseBenchArguments([], { BENCH_IDENTITIES: '2000' }).identities).toBe(2000);
    expect(parseBenchArguments(['--identities=500'], { BENCH_IDENTITIES: '2000' }).identities).toBe(500);
  });

  it('rejects what it does not understand, naming it', () => {
    expect(() => parseBenchArguments(['--db', 'mysql'], {})).toThrow(
      /--db must be sqlite, postgres or both, not "mysql"/,
    );
    expect(() => parseBenchArguments(['--identities', '0'], {})).toThrow(/positive integer/);
    expect(() => parseBenchArguments(['--fast'], {})).toThrow(/needs a value/);
    expect(() => parseBenchArguments(['--fast', '1'], {})).toThrow(/unknown option --fast/);
  });
});
