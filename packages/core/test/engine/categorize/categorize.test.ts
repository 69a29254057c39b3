import { describe, expect, it } from 'vitest';
import { classifyResources } from '../../../src/engine/categorize/classify-resources.ts';
import { deriveOrphanOrders } from '../../../src/engine/categorize/derive-orphan-orders.ts';
import { findOrphans } from '../../../src/engine/categorize/find-orphans.ts';
import type { ClassificationRule } from '../../../src/model.ts';
import { ProvisioningState as P } from '../../../src/states.ts';
import { resolverOf, resource, rtRow, sequentialIds } from '../../support/assignment-rows.ts';
import { expr } from '../../support/expr.ts';
import { model, resourceType, ruleLocation } from '../../support/model-builder.ts';

const rule = (id: string, rt: string, when: string, confidence: number): ClassificationRule => ({
  id,
  location: ruleLocation,
  resourceType: rt,
  when: expr(when),
  confidence,
});

const admin = resource('a-adm', 'Account', 'adm-root', { uid: 'adm-root', title: 'admin' });
const svc = resource('a-svc', 'Account', 'svc-backup', { uid: 'svc-backup' });
const plain = resource('a-jdoe', 'Account', 'jdoe', { uid: 'jdoe' });
const group = resource('g-1', 'Group', 'cn=G', {});

const classifying = model({
  resourceTypes: [resourceType({ id: 'Nominative' }), resourceType({ id: 'Admin' }), resourceType({ id: 'Service' })],
  rules: {
    classifications: [
      rule('nominative', 'Nominative', 'true', 50),
      rule('admin', 'Admin', 'resource.uid.startsWith("adm-")', 120),
      rule('service', 'Service', 'resource.uid.startsWith("svc-")', 110),
      // Fails on every account without a title: must not stop the others.
      rule('titled', 'Service', 'resource.title == "robot"', 130),
    ],
  },
});

describe('classifyResources', () => {
  it('gives each uncorrelated target the resource type of its most confident matching rule', () => {
    const { classified } = classifyResources(classifying, [admin, svc, plain, group], new Set());
    expect(classified).toEqual([
      { resourceId: admin.id, resourceTypeId: 'Admin', confidence: 120, ruleId: 'admin' },
      { resourceId: svc.id, resourceTypeId: 'Service', confidence: 110, ruleId: 'service' },
      { resourceId: plain.id, resourceTypeId: 'Nominative', confidence: 50, ruleId: 'nominative' },
    ]);
  });

  it('skips owned targets', () => {
    const { classified } = classifyResources(classifying, [admin, plain], new Set([admin.id]));
    expect(classified.map((c) => c.resourceId)).toEqual([plain.id]);
  });

  it('tolerates a rule that throws, reporting it with the resource and the rule', () => {
    const { classified, failures } = classifyResources(classifying, [svc], new Set());
    expect(classified[0]?.resourceTypeId).toBe('Service');
    expect(failures).toMatchObject([{ resourceId: svc.id, ruleId: 'titled', code: 'CLASSIFICATION_RULE_FAILED' }]);
    expect(failures[0]?.message).toContain('svc-backup');
  });

  it('on equal confidence the rule written first wins', () => {
    const m = model({
      resourceTypes: [resourceType({ id: 'A' }), resourceType({ id: 'B' })],
      rules: { classifications: [rule('b', 'B', 'true', 90), rule('a', 'A', 'true', 90)] },
    });
    expect(classifyResources(m, [plain], new Set()).classified[0]?.resourceTypeId).toBe('B');
  });

  it('a target no rule matches stays unclassified', () => {
    const m = model({
      resourceTypes: [resourceType({ id: 'A' })],
      rules: { classifications: [rule('a', 'A', 'false', 90)] },
    });
    expect(classifyResources(m, [plain], new Set())).toEqual({ classified: [], failures: [] });
  });
});

describe('findOrphans and deriveOrphanOrders (scenario 29)', () => {
  const account = resource('a-alice', 'Account', 'amartin');
  const bobAccount = resource('a-bob', 'Account', 'bdurand');
  const aliceRow = rtRow('p-alice', 'AD', {
    provisioningState: P.Verified,
    pendingOperation: null,
    targetResourceId: account.id,
  });
  const bobRow = rtRow('p-bob', 'AD', {
    provisioningState: P.Verified,
    pendingOperation: null,
    targetResourceId: bobAccount.id,
  });
  const living = new Set(['p-bob']);
  const targets = [account, bobAccount, plain];
  const classified = [{ resourceId: plain.id, resourceTypeId: 'AD', confidence: 50, ruleId: 'r' }];

  const scenario = (removeOrphans: boolean, allowRemove = true) => {
    const m = model({ resourceTypes: [resourceType({ id: 'AD', removeOrphans, allowRemove })] });
    const assignments = [aliceRow, bobRow];
    const orphans = findOrphans({ model: m, targets, assignments, classified, ownerExists: (id) => living.has(id) });
    const derived = deriveOrphanOrders({
      model: m,
      now: '2025-03-10T12:00:00Z',
      runId: 'run-1',
      orphans,
      assignments,
      resolve: resolverOf(targets),
      newOrderId: sequentialIds(),
    });
    return { orphans, ...derived };
  };

  it('with removeOrphans a target whose owner is gone gets a Deleted order; never-owned ones are listed', () => {
    const { orphans, orders, changes, skipped } = scenario(true);
    expect(orphans).toEqual([
      {
        resourceId: account.id,
        resourceTypeId: 'AD',
        kind: 'owner_gone',
        previousOwnerId: 'p-alice',
        assignedResourceTypeId: aliceRow.id,
        action: 'delete',
      },
      {
        resourceId: plain.id,
        resourceTypeId: 'AD',
        kind: 'unowned',
        previousOwnerId: null,
        assignedResourceTypeId: null,
        action: 'reconcile',
      },
    ]);
    expect(orders).toMatchObject([
      {
        changeType: 'deleted',
        targetKey: 'amartin',
        ownerId: 'p-alice',
        assignmentIds: [aliceRow.id],
        state: P.Pending,
      },
    ]);
    expect(changes).toMatchObject([{ assignmentId: aliceRow.id, from: P.Verified, to: P.Pending }]);
    expect(skipped).toEqual([]);
  });

  it('without removeOrphans, or with allowRemove=false, orphans are only listed for reconciliation', () => {
    for (const [removeOrphans, allowRemove] of [
      [false, true],
      [true, false],
    ] as const) {
      const { orphans, orders } = scenario(removeOrphans, allowRemove);
      expect(orphans.map((o) => o.action)).toEqual(['reconcile', 'reconcile']);
      expect(orders).toEqual([]);
    }
  });

  it('an errored assignment of a gone owner is not deleted behind the back of the person who must unblock it', () => {
    const m = model({ resourceTypes: [resourceType({ id: 'AD', removeOrphans: true })] });
    const errored = { ...aliceRow, provisioningState: P.Errored };
    const orphans = findOrphans({
      model: m,
      targets,
      assignments: [errored],
      classified: [],
      ownerExists: () => false,
    });
    const { orders, skipped } = deriveOrphanOrders({
      model: m,
      now: '2025-03-10T12:00:00Z',
      runId: 'run-1',
      orphans,
      assignments: [errored],
      resolve: resolverOf(targets),
      newOrderId: sequentialIds(),
    });
    expect(orders).toEqual([]);
    expect(skipped).toMatchObject([{ resourceId: account.id, code: 'ORPHAN_STATE_REFUSED' }]);
  });
});
