import { describe, expect, it } from 'vitest';
import { summarizeLatencies } from '../percentiles.ts';

describe('summarizeLatencies', () => {
  it('gives nearest-rank percentiles of unsorted samples', () => {
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i); // 200..1
    const summary = summarizeLatencies(samples);
    expect(summary).toMatchObject({ samples: 200, p50Ms: 100, p95Ms: 190, p99Ms: 198, maxMs: 200, meanMs: 100.5 });
  });

  it('refuses an empty set', () => {
    expect(() => summarizeLatencies([])).toThrow(/no samples/);
  });
});
