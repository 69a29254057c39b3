import { describe, expect, it } from 'vitest';
import { ratioOf } from '../api-ratio.ts';

describe('ratioOf', () => {
  it('divides the nearest-rank medians of unsorted samples', () => {
    expect(ratioOf([30, 10, 20], [2, 1, 3])).toBe(10);
    // Four samples: the nearest-rank median is the 2nd value (20 and 2), not an interpolation.
    expect(ratioOf([40, 10, 20, 30], [4, 1, 2, 3])).toBe(10);
  });

  it('keeps the precision of sub-0.01 ms baselines that summarizeLatencies would round to 0', () => {
    expect(ratioOf([1.5], [0.004])).toBe(375);
  });

  it('is null without samples or without a measurable baseline', () => {
    expect(ratioOf([], [1])).toBeNull();
    expect(ratioOf([1], [])).toBeNull();
    expect(ratioOf([1], [0])).toBeNull();
  });
});
