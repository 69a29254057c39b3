import { describe, expect, it } from 'vitest';
import { assignmentIds } from '../../../src/assignments.ts';
import type { TimeOffset } from '../../../src/model.ts';
import { ProvisioningState as P, WorkflowState as W } from '../../../src/states.ts';
import {
  account,
  correlationRule,
  evaluate,
  person,
  row,
  scalarRule,
  typeRule,
} from '../../support/evaluate-fixtures.ts';
import { model, resourceType } from '../../support/model-builder.ts';

const correlations = [
  correlationRule({
    id: 'ad-by-number',
    resourceType: 'AD',
    source: 'identity.employeeId',
    target: 'resource.employeeNumber',
  }),
];

describe('scenario 37: time-offset scalars', () => {
  const day = 24 * 60;
  const offset = (reference: TimeOffset['reference'], startMinutes: number, endMinutes: number): TimeOffset => ({
    reference,
    startMinutes,
    endMinutes,
  });
  const enabledModel = (withDefault = false) =>
    model({
      resourceTypes: [resourceType({ id: 'AD' })],
      rules: {
        types: [typeRule({ id: 'ad-everyone', resourceType: 'AD' })],
        scalars: [
          scalarRule({
            id: 'after',
            resourceType: 'AD',
            property: 'enabled',
            expression: 'false',
            timeOffset: offset('after', 0, 180 * day),
          }),
          scalarRule({
            id: 'before',
            resourceType: 'AD',
            property: 'enabled',
            expression: 'false',
            timeOffset: offset('before', -31 * day, 0),
          }),
          scalarRule({
            id: 'around',
            resourceType: 'AD',
            property: 'enabled',
            expression: 'identity.department != "Suspended"',
            timeOffset: offset('around', 0, 0),
          }),
          ...(withDefault
            ? [scalarRule({ id: 'default', resourceType: 'AD', property: 'enabled', expression: '"default"' })]
            : []),
        ],
        correlations,
      },
    });
  const alice = person('alice', {
    department: 'IT',
    contractStart: '2025-07-01T00:00:00.000Z',
    contractEnd: '2025-12-31T00:00:00.000Z',
  });
  const enabledAt = (now: string, withDefault = false) => {
    const result = evaluate(enabledModel(withDefault), alice, { now });
    return row(result, assignmentIds.scalar(assignmentIds.resourceType('alice', 'AD'), 'enabled'), 'scalar');
  };

  it('is false from a month before arrival', () => {
    expect(enabledAt('2025-06-15T00:00:00.000Z')).toMatchObject({ computedValue: false, ruleId: 'before' });
  });

  it('is computed during the contract', () => {
    expect(enabledAt('2025-08-01T00:00:00.000Z')).toMatchObject({ computedValue: true, ruleId: 'around' });
  });

  it('is false the day after departure, the account still being assigned', () => {
    expect(enabledAt('2026-01-01T00:00:00.000Z')).toMatchObject({ computedValue: false, ruleId: 'after' });
  });

  it('overlaps resolve Default > Around > Before > After', () => {
    // On the arrival day Before (ends at start) and Around (starts at start) overlap: Around wins.
    expect(enabledAt('2025-07-01T00:00:00.000Z').ruleId).toBe('around');
    // On the departure day Around and After overlap: Around wins.
    expect(enabledAt('2025-12-31T00:00:00.000Z').ruleId).toBe('around');
    expect(enabledAt('2025-08-01T00:00:00.000Z', true).ruleId).toBe('default');
  });

  it('no value outside every period: a month and a day before arrival', () => {
    const result = evaluate(enabledModel(), alice, { now: '2025-05-30T00:00:00.000Z' });
    expect(result.assignments.some((a) => a.kind === 'scalar')).toBe(false);
  });
});

describe('create-only scalars (scenario 36, engine side)', () => {
  const m = model({
    resourceTypes: [resourceType({ id: 'AD' })],
    rules: {
      types: [typeRule({ id: 'ad-everyone', resourceType: 'AD' })],
      scalars: [
        scalarRule({ id: 'title', resourceType: 'AD', property: 'title', expression: '"Engineer"', mapped: false }),
      ],
      correlations,
    },
  });
  const titleId = assignmentIds.scalar(assignmentIds.resourceType('bob', 'AD'), 'title');

  it('is written with the creation', () => {
    expect(row(evaluate(m, person('bob')), titleId, 'scalar')).toMatchObject({
      mapped: false,
      pendingOperation: 'add',
    });
  });

  it('is never compared with an existing account', () => {
    const result = evaluate(m, person('bob'), {
      targets: [account('acc', { uid: 'bob', title: 'Boss', employeeNumber: 'bob' })],
    });
    expect(result.assignments.some((a) => a.id === titleId)).toBe(false);
  });
});

describe('an expression that throws for one identity', () => {
  const m = model({
    resourceTypes: [resourceType({ id: 'AD' })],
    rules: {
      types: [typeRule({ id: 'ad-everyone', resourceType: 'AD' })],
      scalars: [
        scalarRule({
          id: 'initials',
          resourceType: 'AD',
          property: 'sn',
          expression: 'identity.lastName.substring(0, 3)',
        }),
        scalarRule({
          id: 'display',
          resourceType: 'AD',
          property: 'displayName',
          expression: '"Person " + identity.employeeId',
        }),
      ],
      correlations,
    },
  });

  it('puts that assignment in 7 Error with the message; the rest of this identity and other identities go on', () => {
    const broken = evaluate(m, person('nobody', { lastName: null }));
    const rt = assignmentIds.resourceType('nobody', 'AD');
    const failed = row(broken, assignmentIds.scalar(rt, 'sn'), 'scalar');
    expect(failed.provisioningState).toBe(P.Error);
    expect(failed.message).toContain('initials');
    expect(failed.message).toContain('nobody');
    expect(broken.errors).toContainEqual(expect.objectContaining({ code: 'EXPRESSION_FAILED', ruleId: 'initials' }));
    expect(row(broken, assignmentIds.scalar(rt, 'displayName'), 'scalar').provisioningState).toBe(P.Pending);
    expect(row(broken, rt, 'resource_type').provisioningState).toBe(P.Pending);
    expect(broken.changes).toContainEqual(
      expect.objectContaining({ assignmentId: failed.id, event: 'evaluation_failed', to: P.Error, ruleId: 'initials' }),
    );

    const fine = evaluate(m, person('carol', { lastName: 'Dupont' }));
    expect(fine.errors).toEqual([]);
    const sn = row(fine, assignmentIds.scalar(assignmentIds.resourceType('carol', 'AD'), 'sn'), 'scalar');
    expect(sn).toMatchObject({ computedValue: 'Dup', provisioningState: P.Pending, workflowState: W.Calculated });
  });

  it('is re-evaluated from scratch once the data is fixed', () => {
    const broken = evaluate(m, person('nobody', { lastName: null }));
    const fixed = evaluate(m, person('nobody', { lastName: 'Dupont' }), { existing: broken.assignments });
    const sn = row(fixed, assignmentIds.scalar(assignmentIds.resourceType('nobody', 'AD'), 'sn'), 'scalar');
    expect(sn).toMatchObject({ computedValue: 'Dup', provisioningState: P.Pending, message: null });
  });

  it('a `when` that throws makes its rule not apply and is reported', () => {
    const guarded = model({
      resourceTypes: [resourceType({ id: 'AD' })],
      rules: {
        types: [
          typeRule({
            id: 'bad-when',
            resourceType: 'AD',
            when: scalarRule({ id: 'x', resourceType: 'AD', property: 'x', expression: 'identity.nothing.deeper == 1' })
              .expression,
          }),
        ],
      },
    });
    const result = evaluate(guarded, person('dan'));
    expect(result.assignments).toEqual([]);
    expect(result.errors).toContainEqual(expect.objectContaining({ ruleId: 'bad-when', code: 'EXPRESSION_FAILED' }));
  });
});

describe('unique(): the expression sees what is taken', () => {
  it('passes `taken` built from the directory, for this owner only', () => {
    const m = model({
      resourceTypes: [resourceType({ id: 'AD' })],
      rules: {
        types: [typeRule({ id: 'ad-everyone', resourceType: 'AD' })],
        scalars: [scalarRule({ id: 'login', resourceType: 'AD', property: 'uid', expression: 'identity.lastName' })],
      },
    });
    // The helper itself is the CEL library's; here the rule reads `taken` through a custom expression.
    const probe = {
      ...m,
      rules: {
        ...m.rules,
        scalars: [
          {
            ...(m.rules.scalars[0] as (typeof m.rules.scalars)[number]),
            expression: {
              source: 'probe',
              location: (m.rules.scalars[0] as (typeof m.rules.scalars)[number]).location,
              evaluate: (v: { taken?: (s: string) => boolean }) => (v.taken?.('DOE') ? 'doe2' : 'doe'),
            },
          },
        ],
      },
    };
    const uid = assignmentIds.scalar(assignmentIds.resourceType('eve', 'AD'), 'uid');
    const someoneElses = account('acc-x', { uid: 'doe' });
    const taken = evaluate(probe, person('eve'), {
      targets: [someoneElses],
      ownership: [{ resourceId: 'acc-x', ownerId: 'x' }],
    });
    expect(row(taken, uid, 'scalar').computedValue).toBe('doe2');
    const own = evaluate(probe, person('eve'), {
      targets: [someoneElses],
      ownership: [{ resourceId: 'acc-x', ownerId: 'eve' }],
    });
    expect(row(own, uid, 'scalar').computedValue).toBe('doe');
  });
});
