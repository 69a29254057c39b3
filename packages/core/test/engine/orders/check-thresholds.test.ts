import { describe, expect, it } from 'vitest';
import { checkThresholds, countOrders, describeExceeded } from '../../../src/engine/orders/check-thresholds.ts';
import type { OrderThresholds } from '../../../src/model.ts';
import { model, resourceType } from '../../support/model-builder.ts';

const off: OrderThresholds = {
  maxInsert: 0,
  maxUpdate: 0,
  maxDelete: 0,
  maxInsertPercent: 0,
  maxUpdatePercent: 0,
  maxDeletePercent: 0,
};
const withLimits = (t: Partial<OrderThresholds>) =>
  model({ resourceTypes: [resourceType({ id: 'AD', thresholds: { ...off, ...t } })] });
const counts = (added: number, modified = 0, deleted = 0) => ({ AD: { added, modified, deleted } });

describe('checkThresholds', () => {
  it('scenario 33: maxInsert=2 blocks 3 creations and lets 2 through', () => {
    const m = withLimits({ maxInsert: 2 });
    const blocked = checkThresholds(m, counts(3), { AD: 100 });
    expect(blocked.blocked).toBe(true);
    expect(blocked.verdicts).toEqual([
      {
        resourceTypeId: 'AD',
        changeType: 'added',
        count: 3,
        limit: 2,
        kind: 'absolute',
        percent: null,
        population: null,
        exceeded: true,
      },
    ]);
    expect(checkThresholds(m, counts(2), { AD: 100 }).blocked).toBe(false);
  });

  it('scenario 33: resuming forces the run through but still reports the exceeded limit', () => {
    const check = checkThresholds(withLimits({ maxInsert: 2 }), counts(3), { AD: 100 }, { force: true });
    expect(check.blocked).toBe(false);
    expect(check.verdicts[0]?.exceeded).toBe(true);
  });

  it('scenario 33: the default 30 % blocks deleting 40 of 100 accounts, not 30', () => {
    const m = model({ resourceTypes: [resourceType({ id: 'AD' })] });
    const forty = checkThresholds(m, counts(0, 0, 40), { AD: 100 });
    expect(forty.blocked).toBe(true);
    expect(forty.verdicts).toMatchObject([
      { changeType: 'deleted', kind: 'percent', limit: 30, percent: 30, population: 100 },
    ]);
    expect(checkThresholds(m, counts(0, 0, 30), { AD: 100 }).blocked).toBe(false);
  });

  it('absolute and percentage both apply: the lower one decides', () => {
    const m = withLimits({ maxUpdate: 50, maxUpdatePercent: 10 });
    // 10 % of 200 = 20 < 50: the percentage blocks 21.
    const r = checkThresholds(m, counts(0, 21), { AD: 200 });
    expect(r.blocked).toBe(true);
    expect(r.verdicts.map((v) => [v.kind, v.limit, v.exceeded])).toEqual([
      ['absolute', 50, false],
      ['percent', 20, true],
    ]);
    // 10 % of 10 000 = 1000 > 50: the absolute limit blocks 51.
    expect(checkThresholds(m, counts(0, 51), { AD: 10_000 }).verdicts.map((v) => v.exceeded)).toEqual([true, false]);
  });

  it('percentages compare exactly, without rounding: 3 of 10 at 30 % passes, 4 does not', () => {
    const m = withLimits({ maxInsertPercent: 30 });
    expect(checkThresholds(m, counts(3), { AD: 10 }).blocked).toBe(false);
    expect(checkThresholds(m, counts(4), { AD: 10 }).blocked).toBe(true);
    expect(checkThresholds(m, counts(1), { AD: 3 }).blocked).toBe(true);
  });

  it('0 turns a limit off', () => {
    expect(checkThresholds(withLimits({}), counts(1000, 1000, 1000), { AD: 10 })).toEqual({
      blocked: false,
      verdicts: [],
    });
  });

  it('a first load (population 0) is not blocked by percentages alone, but absolute limits still hold', () => {
    expect(checkThresholds(withLimits({ maxInsertPercent: 30 }), counts(500), {})).toEqual({
      blocked: false,
      verdicts: [],
    });
    expect(checkThresholds(withLimits({ maxInsertPercent: 30, maxInsert: 100 }), counts(500), { AD: 0 }).blocked).toBe(
      true,
    );
  });

  it('counts orders per resource type and change type, and explains what blocked', () => {
    const c = countOrders([
      { resourceTypeId: 'AD', changeType: 'added' },
      { resourceTypeId: 'AD', changeType: 'added' },
      { resourceTypeId: 'AD', changeType: 'deleted' },
    ]);
    expect(c).toEqual({ AD: { added: 2, modified: 0, deleted: 1 } });
    const check = checkThresholds(withLimits({ maxInsert: 1, maxDeletePercent: 10 }), c, { AD: 5 });
    expect(describeExceeded(check)).toEqual([
      'AD: 2 added orders exceed the limit of 1',
      'AD: 1 deleted orders exceed 10% of 5 targets (0)',
    ]);
  });

  it('refuses counts of a resource type that is not configured', () => {
    expect(() => checkThresholds(withLimits({}), { Nope: { added: 1, modified: 0, deleted: 0 } }, {})).toThrowError(
      /Nope/,
    );
  });
});
