import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateIdentity } from '../../../src/engine/evaluate/evaluate-identity.ts';
import { createTargetDirectory } from '../../../src/engine/evaluate/target-directory.ts';
import type { Resource } from '../../../src/resources.ts';
import {
  account,
  compositeRoleRule,
  correlationRule,
  group,
  NOW,
  navigationRule,
  queryRule,
  scalarRule,
  singleRoleRule,
  typeRule,
} from '../../support/evaluate-fixtures.ts';
import { expr } from '../../support/expr.ts';
import { model, resourceType, role } from '../../support/model-builder.ts';

// A model that exercises every step: composite → single roles, type and role-implied resource
// types, navigation and query rules, scalars with offsets, correlation at two confidences.
const m = model({
  resourceTypes: [
    resourceType({ id: 'AD' }),
    resourceType({ id: 'App', requireProvisioningReview: true, allowRemove: false }),
  ],
  compositeRoles: [role({ id: 'Staff' })],
  singleRoles: [role({ id: 'IT', gracePeriodMinutes: 60 }), role({ id: 'Sales' })],
  rules: {
    compositeRoles: [compositeRoleRule({ id: 'staff', role: 'Staff', when: expr('identity.department != "Guest"') })],
    singleRoles: [
      singleRoleRule({ id: 'it', role: 'IT', compositeRole: 'Staff', when: expr('identity.department == "IT"') }),
      singleRoleRule({ id: 'sales', role: 'Sales', when: expr('identity.department == "Sales"') }),
    ],
    types: [typeRule({ id: 'ad', resourceType: 'AD', when: expr('identity.department != "Guest"') })],
    navigations: [
      navigationRule({ id: 'n-it', resourceType: 'AD', value: 'cn=it', singleRole: 'IT' }),
      navigationRule({ id: 'n-sales', resourceType: 'AD', value: 'cn=sales', singleRole: 'Sales' }),
      navigationRule({ id: 'n-app', resourceType: 'App', value: 'cn=app', singleRole: 'IT' }),
    ],
    queries: [
      queryRule({ id: 'q', resourceType: 'App', confidence: 90, source: 'identity.department', target: 'resource.dn' }),
    ],
    scalars: [
      scalarRule({ id: 'uid', resourceType: 'AD', property: 'uid', expression: 'identity.lastName' }),
      scalarRule({
        id: 'title',
        resourceType: 'AD',
        property: 'title',
        expression: 'identity.department',
        comparison: 'ignore_case',
      }),
      scalarRule({ id: 'sn', resourceType: 'AD', property: 'sn', expression: 'identity.lastName.substring(0, 2)' }),
    ],
    correlations: [
      correlationRule({
        id: 'c100',
        resourceType: 'AD',
        source: 'identity.employeeId',
        target: 'resource.employeeNumber',
      }),
      correlationRule({
        id: 'c80',
        resourceType: 'App',
        confidence: 80,
        source: 'identity.lastName',
        target: 'resource.uid',
      }),
    ],
  },
});

const departments = ['IT', 'Sales', 'Guest', 'HR'] as const;
const identityArb = fc.record({
  department: fc.constantFrom(...departments),
  lastName: fc.option(fc.constantFrom('Doe', 'Martin', 'X'), { nil: null }),
  hasAccount: fc.boolean(),
  accountTitle: fc.constantFrom('it', 'sales', 'other'),
  memberOf: fc.subarray(['g-it', 'g-sales', 'g-app']),
  hasAppAccount: fc.boolean(),
  firstSynchronization: fc.boolean(),
  review: fc.constantFrom('per_resource_type', 'all', 'none') as fc.Arbitrary<'per_resource_type' | 'all' | 'none'>,
});

describe('idempotence', () => {
  it('evaluating with the previous output as existing changes nothing', () => {
    fc.assert(
      fc.property(identityArb, identityArb, (first, second) => {
        const groups = [
          group('g-it', 'cn=it'),
          group('g-sales', 'cn=sales'),
          group('g-app', 'cn=app'),
          group('g-dep', 'IT'),
        ];
        const targetsFor = (p: typeof first): Resource[] => [
          ...groups,
          ...(p.hasAccount
            ? [account('acc', { uid: p.lastName, title: p.accountTitle, employeeNumber: 'p1' }, p.memberOf)]
            : []),
          ...(p.hasAppAccount ? [{ ...account('app-acc', { uid: 'Doe' }), entityType: 'Account' }] : []),
        ];
        const identity = (p: typeof first): Resource => ({
          id: 'p1',
          entityType: 'Person',
          key: 'p1',
          values: { employeeId: 'p1', department: p.department, lastName: p.lastName },
          links: {},
        });
        const run = (p: typeof first, existing: ReturnType<typeof evaluateIdentity>['assignments']) =>
          evaluateIdentity({
            model: m,
            now: NOW,
            identity: identity(p),
            existing,
            directory: createTargetDirectory(m, targetsFor(p), []),
            firstSynchronization: p.firstSynchronization,
            review: p.review,
          });
        // From nothing, then after the person changed: each result evaluated again is stable.
        const once = run(first, []);
        const twice = run(first, once.assignments);
        expect(twice.changes).toEqual([]);
        expect(twice.removedIds).toEqual([]);
        expect(twice.assignments).toEqual(once.assignments);
        const changed = run(second, once.assignments);
        expect(changed.errors.filter((e) => e.code === 'TRANSITION_REFUSED')).toEqual([]);
        const kept = changed.assignments.filter((a) => !changed.removedIds.includes(a.id));
        const stable = run(second, kept);
        expect(stable.changes).toEqual([]);
        expect(stable.assignments).toEqual(kept);
      }),
      { numRuns: 300 },
    );
  });
});
