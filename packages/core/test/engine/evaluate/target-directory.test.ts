import { describe, expect, it } from 'vitest';
import { createTargetDirectory } from '../../../src/engine/evaluate/target-directory.ts';
import type { Resource } from '../../../src/resources.ts';
import { account, correlationRule, group, queryRule } from '../../support/evaluate-fixtures.ts';
import { model, resourceType } from '../../support/model-builder.ts';

const m = model({
  resourceTypes: [resourceType({ id: 'AD' })],
  rules: {
    correlations: [
      correlationRule({
        id: 'by-number',
        resourceType: 'AD',
        source: 'identity.employeeId',
        target: 'resource.employeeNumber',
      }),
      correlationRule({
        id: 'by-prefix',
        resourceType: 'AD',
        source: 'identity.login',
        target: 'resource.uid.substring(0, 4)',
      }),
    ],
    queries: [
      queryRule({
        id: 'dept',
        resourceType: 'AD',
        confidence: 100,
        source: 'identity.department',
        target: 'resource.dn',
      }),
    ],
  },
});

describe('createTargetDirectory', () => {
  const a1 = account('a1', { uid: 'jdoe', employeeNumber: 'E1' }, ['g1']);
  const a2 = account('a2', { uid: 'amartin', employeeNumber: 42 as unknown as string });
  const g1 = group('g1', 'cn=IT');

  it('looks resources up by id and by key', () => {
    const d = createTargetDirectory(m, [a1, a2, g1], []);
    expect(d.get('a1')).toBe(a1);
    expect(d.byKey('Group', 'cn=IT')).toBe(g1);
    expect(d.byKey('Account', 'cn=IT')).toBeUndefined();
  });

  it('precomputes correlation keys per rule; numbers become text', () => {
    const d = createTargetDirectory(m, [a1, a2, g1], []);
    expect(d.correlationCandidates('by-number', 'E1')).toEqual([a1]);
    expect(d.correlationCandidates('by-number', '42')).toEqual([a2]);
    expect(d.correlationCandidates('by-number', 'nobody')).toEqual([]);
  });

  it('a target expression that throws gives that resource no key, the others still get theirs', () => {
    const odd: Resource = account('a3', { uid: null, employeeNumber: 'E3' });
    const d = createTargetDirectory(m, [a1, odd, a2], []);
    expect(() => m.rules.correlations[1]?.target.evaluate({ resource: { ...odd.values } })).toThrow();
    expect(d.correlationCandidates('by-prefix', 'jdoe')).toEqual([a1]);
    expect(d.correlationCandidates('by-prefix', 'amar')).toEqual([a2]);
    expect(d.correlationCandidates('by-number', 'E3')).toEqual([odd]);
  });

  it('indexes query candidates in the pointed entity type', () => {
    const d = createTargetDirectory(m, [a1, g1], []);
    expect(d.queryCandidates('dept', 'cn=IT')).toEqual([g1]);
  });

  it('knows owners, and what another person already holds (ignoring case)', () => {
    const d = createTargetDirectory(m, [a1, a2], [{ resourceId: 'a1', ownerId: 'john' }]);
    expect(d.ownerOf('a1')).toBe('john');
    expect(d.ownerOf('a2')).toBeNull();
    expect(d.isTaken('Account', 'uid', 'JDOE', 'someone')).toBe(true);
    expect(d.isTaken('Account', 'uid', 'jdoe', 'john')).toBe(false);
    // An account nobody owns still holds its login.
    expect(d.isTaken('Account', 'uid', 'amartin', 'john')).toBe(true);
    expect(d.isTaken('Account', 'uid', 'free', 'john')).toBe(false);
    d.addComputedValue({ entityType: 'Account', property: 'uid', value: 'free', ownerId: 'ann' });
    expect(d.isTaken('Account', 'uid', 'free', 'john')).toBe(true);
    expect(d.isTaken('Account', 'uid', 'free', 'ann')).toBe(false);
  });

  it('indexes 100,000 targets (its speed is measured by bench:compute, not here)', () => {
    const targets = Array.from({ length: 100_000 }, (_, i) =>
      account(`a${i}`, { uid: `user${i}`, employeeNumber: `E${i}` }),
    );
    const d = createTargetDirectory(
      m,
      targets,
      targets.map((t, i) => ({ resourceId: t.id, ownerId: `p${i}` })),
    );
    expect(d.correlationCandidates('by-number', 'E99999')[0]?.id).toBe('a99999');
    expect(d.isTaken('Account', 'uid', 'user5', 'p1')).toBe(true);
    expect(d.isTaken('Account', 'uid', 'user5', 'p5')).toBe(false);
  });
});
