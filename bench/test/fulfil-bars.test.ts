import { describe, expect, it } from 'vitest';
import { fulfilDefaults } from '../fulfil-arguments.ts';
import { evaluateFulfilBars } from '../fulfil-bars.ts';

const passing = { provisioningRatio: 0.8, exportRatio: 0.5, latencyP50Ms: 1000, latencyP99Ms: 3000 };

describe('evaluateFulfilBars', () => {
  it('judges a full-size run against the four bars, limits included', () => {
    const verdicts = evaluateFulfilBars(fulfilDefaults, passing);
    expect(verdicts.map((v) => [v.limit, v.comparison, v.met])).toEqual([
      [0.8, '>=', true],
      [0.5, '>=', true],
      [1000, '<=', true],
      [3000, '<=', true],
    ]);
    expect(verdicts.every((v) => v.note === undefined)).toBe(true);
  });

  it('says which bar a full-size run missed', () => {
    const verdicts = evaluateFulfilBars(fulfilDefaults, {
      provisioningRatio: 0.79,
      exportRatio: 0.6,
      latencyP50Ms: 1000.01,
      latencyP99Ms: 2500,
    });
    expect(verdicts.map((v) => v.met)).toEqual([false, true, false, true]);
    expect(verdicts[0]?.measured).toBe(0.79);
  });

  it('does not judge a smaller run, but says what the verdict would be at its size', () => {
    const small = { ...fulfilDefaults, identities: 200, entries: 2000, changes: 10 };
    const verdicts = evaluateFulfilBars(small, { ...passing, provisioningRatio: 0.1 });
    expect(verdicts.map((v) => v.met)).toEqual([null, null, null, null]);
    expect(verdicts[0]?.note).toBe(
      'measured at 200 identities; the bar is stated for 5000 (at this size it would be missed)',
    );
    expect(verdicts[1]?.note).toMatch(/measured at 2000 entries; .* would be met/);
    expect(verdicts[3]?.note).toMatch(/measured at 10 changes; the bar is stated for 200/);
  });
});
