import { describe, expect, it } from 'vitest';
import { assignmentIds } from '../../../src/assignments.ts';
import { type CorrelationMatch, correlationPlan } from '../../../src/engine/evaluate/correlate.ts';
import { ProvisioningState as P } from '../../../src/states.ts';
import { account, correlationRule, evaluate, person, typeRule } from '../../support/evaluate-fixtures.ts';
import { model, resourceType } from '../../support/model-builder.ts';

const match = (id: string, confidence: number): CorrelationMatch => ({
  target: account(id, { uid: id }),
  confidence,
  ruleId: `r${confidence}`,
});
const high = match('h', 120);
const high2 = match('h2', 100);
const low = match('l', 80);
const ids = (ms: CorrelationMatch[]) => ms.map((m) => m.target.id);
const plan = (cmr: boolean, sac: boolean, correlated: boolean, matches = [high, high2, low]) => {
  const p = correlationPlan(
    resourceType({ id: 'AD', correlateMultipleResources: cmr, suggestAllCorrelations: sac }),
    matches,
    correlated,
  );
  return { correlate: ids(p.correlate), suggest: ids(p.suggest) };
};

describe('multiple-match policy (reference spec §5.4)', () => {
  it('CMR=No, SAC=No, none correlated: the best match, correlated if ≥100 or suggested', () => {
    expect(plan(false, false, false)).toEqual({ correlate: ['h'], suggest: [] });
    expect(plan(false, false, false, [low])).toEqual({ correlate: [], suggest: ['l'] });
  });
  it('CMR=No, SAC=No, one correlated: new matches ignored', () => {
    expect(plan(false, false, true)).toEqual({ correlate: [], suggest: [] });
  });
  it('CMR=No, SAC=Yes, none correlated: all matches suggested', () => {
    expect(plan(false, true, false)).toEqual({ correlate: [], suggest: ['h', 'h2', 'l'] });
  });
  it('CMR=No, SAC=Yes, one correlated: ≥100 suggested, lower ignored', () => {
    expect(plan(false, true, true)).toEqual({ correlate: [], suggest: ['h', 'h2'] });
  });
  it('CMR=Yes, SAC=No, none correlated: ≥100 correlated; <100 suggested only without a ≥100 match', () => {
    expect(plan(true, false, false)).toEqual({ correlate: ['h', 'h2'], suggest: [] });
    expect(plan(true, false, false, [low])).toEqual({ correlate: [], suggest: ['l'] });
  });
  it('CMR=Yes, SAC=No, one correlated: ≥100 correlated, <100 ignored', () => {
    expect(plan(true, false, true, [high, low])).toEqual({ correlate: ['h'], suggest: [] });
  });
  it('CMR=Yes, SAC=Yes: ≥100 correlated, <100 suggested', () => {
    expect(plan(true, true, false)).toEqual({ correlate: ['h', 'h2'], suggest: ['l'] });
    expect(plan(true, true, true)).toEqual({ correlate: ['h', 'h2'], suggest: ['l'] });
  });
});

describe('correlating several targets for one owner', () => {
  it('CMR gives one assigned resource type per target, told apart by the target id', () => {
    const m = model({
      resourceTypes: [resourceType({ id: 'Admin', correlateMultipleResources: true })],
      rules: {
        types: [typeRule({ id: 'admin', resourceType: 'Admin' })],
        correlations: [
          correlationRule({
            id: 'c',
            resourceType: 'Admin',
            source: 'identity.employeeId',
            target: 'resource.employeeNumber',
          }),
        ],
      },
    });
    const targets = [
      account('adm1', { uid: 'adm-1', employeeNumber: 'zoe' }),
      account('adm2', { uid: 'adm-2', employeeNumber: 'zoe' }),
    ];
    const result = evaluate(m, person('zoe'), { targets });
    const rts = result.assignments.filter((a) => a.kind === 'resource_type');
    expect(rts.map((a) => a.id).sort()).toEqual([
      assignmentIds.resourceType('zoe', 'Admin'),
      assignmentIds.resourceType('zoe', 'Admin', 'adm2'),
    ]);
    expect(rts.every((a) => a.kind === 'resource_type' && a.provisioningState === P.Verified)).toBe(true);
    const again = evaluate(m, person('zoe'), { targets, existing: result.assignments });
    expect(again.changes).toEqual([]);
  });
});
