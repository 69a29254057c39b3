import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../../src/assignments.ts';
import { type DeriveOrdersInput, deriveOrders } from '../../../src/engine/orders/derive-orders.ts';
import type { ResourceType } from '../../../src/model.ts';
import type { Resource } from '../../../src/resources.ts';
import { ProvisioningState as P } from '../../../src/states.ts';
import { navigationRow, resolverOf, resource, rtRow, scalarRow, sequentialIds } from '../../support/assignment-rows.ts';
import { model, resourceType } from '../../support/model-builder.ts';

const now = '2025-03-10T12:00:00.000Z';
const alice = resource('p-alice', 'Person', '0001', { firstName: 'Alice', lastName: 'Martin', department: 'IT' });
const bob = resource('p-bob', 'Person', '0002', { firstName: 'Bob', lastName: 'Durand', department: '' });
const aliceAccount = resource('a-alice', 'Account', 'amartin', { displayName: 'Alice Martin' });
const groupG = resource('g-g', 'Group', 'cn=G,dc=example,dc=org');
const groupH = resource('g-h', 'Group', 'cn=H,dc=example,dc=org');
const everyone = [alice, bob, aliceAccount, groupG, groupH];

function run(
  assignments: Assignment[],
  options: { resourceTypes?: ResourceType[]; inFlight?: Set<string>; now?: string; resources?: Resource[] } = {},
) {
  const input: DeriveOrdersInput = {
    model: model({ resourceTypes: options.resourceTypes ?? [resourceType({ id: 'AD' })] }),
    now: options.now ?? now,
    runId: 'run-1',
    assignments,
    resolve: resolverOf(options.resources ?? everyone),
    newOrderId: sequentialIds(),
    ...(options.inFlight ? { inFlight: options.inFlight } : {}),
  };
  return deriveOrders(input);
}

describe('deriveOrders: change types', () => {
  it('scenario 1: a new account gives one Added order with every expected value, in 1 Pending', () => {
    const rt = rtRow(alice.id, 'AD');
    const rows = [rt, scalarRow(rt, 'uid', 'amartin'), scalarRow(rt, 'displayName', 'Alice Martin')];
    const { orders, held, changes } = run(rows);
    expect(held).toEqual([]);
    expect(changes).toEqual([]);
    expect(orders).toEqual([
      {
        id: 'o1',
        assignedResourceTypeId: rt.id,
        resourceTypeId: 'AD',
        connector: 'Directory',
        ownerId: alice.id,
        targetResourceId: null,
        targetKey: null,
        changeType: 'added',
        scalars: { uid: 'amartin', displayName: 'Alice Martin' },
        addedLinks: {},
        removedLinks: {},
        assignmentIds: [rt.id, `${rt.id}/s:uid`, `${rt.id}/s:displayName`],
        state: P.Pending,
        notBefore: null,
        createdAt: now,
        runId: 'run-1',
      },
    ]);
  });

  it('scenario 21 and 36: the creation carries navigations as added links and create-only scalars', () => {
    const rt = rtRow(alice.id, 'AD', { workflowState: 118 });
    const rows = [
      rt,
      scalarRow(rt, 'uid', 'amartin'),
      scalarRow(rt, 'title', 'Engineer', { mapped: false }),
      navigationRow(rt, 'memberOf', groupG.id),
      navigationRow(rt, 'memberOf', groupH.id),
    ];
    const [order] = run(rows).orders;
    expect(order?.changeType).toBe('added');
    expect(order?.scalars).toEqual({ uid: 'amartin', title: 'Engineer' });
    expect(order?.addedLinks).toEqual({
      memberOf: [
        { id: groupG.id, key: groupG.key },
        { id: groupH.id, key: groupH.key },
      ],
    });
    expect(order?.assignmentIds).toHaveLength(5);
  });

  it('scenario 19: a new membership on an existing account gives a Modified order with only the added link', () => {
    const rt = rtRow(alice.id, 'AD', {
      provisioningState: P.Verified,
      pendingOperation: null,
      targetResourceId: aliceAccount.id,
    });
    const rows = [
      rt,
      scalarRow(rt, 'displayName', 'Alice Martin', { provisioningState: P.Verified, pendingOperation: null }),
      navigationRow(rt, 'memberOf', groupG.id),
    ];
    const { orders } = run(rows);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({
      changeType: 'modified',
      targetResourceId: aliceAccount.id,
      targetKey: 'amartin',
      scalars: {},
      addedLinks: { memberOf: [{ id: groupG.id, key: groupG.key }] },
      removedLinks: {},
      assignmentIds: [`${rt.id}/n:memberOf:${groupG.id}`],
    });
  });

  it('scenario 20 and 23: removals and changed scalars are separate lists, never a whole list', () => {
    const rt = rtRow(alice.id, 'AD', {
      provisioningState: P.Verified,
      pendingOperation: null,
      targetResourceId: aliceAccount.id,
    });
    const rows = [
      rt,
      scalarRow(rt, 'displayName', 'Alice Dupont', { currentValue: 'Alice Martin' }),
      scalarRow(rt, 'sn', 'Martin', { provisioningState: P.Verified, pendingOperation: null }),
      navigationRow(rt, 'memberOf', groupG.id, { provisioningState: P.Verified, pendingOperation: null }),
      navigationRow(rt, 'memberOf', groupH.id, { pendingOperation: 'remove' }),
    ];
    const [order] = run(rows).orders;
    expect(order).toMatchObject({
      changeType: 'modified',
      scalars: { displayName: 'Alice Dupont' },
      addedLinks: {},
      removedLinks: { memberOf: [{ id: groupH.id, key: groupH.key }] },
    });
  });

  it('a scalar to remove is written as null in a Modified order', () => {
    const rt = rtRow(alice.id, 'AD', {
      provisioningState: P.Verified,
      pendingOperation: null,
      targetResourceId: aliceAccount.id,
    });
    const [order] = run([
      rt,
      scalarRow(rt, 'title', null, { pendingOperation: 'remove', currentValue: 'Boss' }),
    ]).orders;
    expect(order?.scalars).toEqual({ title: null });
  });

  it('scenario 28: losing the resource type gives a Deleted order carrying the target key and nested rows', () => {
    const rt = rtRow(alice.id, 'AD', { pendingOperation: 'remove', targetResourceId: aliceAccount.id });
    const nav = navigationRow(rt, 'memberOf', groupG.id, { pendingOperation: 'remove' });
    const [order] = run([nav, rt]).orders;
    expect(order).toMatchObject({
      changeType: 'deleted',
      targetResourceId: aliceAccount.id,
      targetKey: 'amartin',
      scalars: {},
      addedLinks: {},
      removedLinks: {},
      assignmentIds: [rt.id, nav.id],
    });
  });

  it('groups rows of several owners into one order per assigned resource type, ignoring non-pending rows', () => {
    const a = rtRow(alice.id, 'AD');
    const b = rtRow(bob.id, 'AD');
    const verified = rtRow('p-carol', 'AD', {
      provisioningState: P.Verified,
      pendingOperation: null,
      targetResourceId: 'x',
    });
    const rows = [a, b, scalarRow(b, 'uid', 'bdurand'), scalarRow(a, 'uid', 'amartin'), verified];
    const { orders } = run(rows);
    expect(orders.map((o) => [o.ownerId, o.scalars])).toEqual([
      [alice.id, { uid: 'amartin' }],
      [bob.id, { uid: 'bdurand' }],
    ]);
  });
});

describe('deriveOrders: holds and refusals', () => {
  it('scenario 40: assignments already in an open order are not emitted twice', () => {
    const rt = rtRow(alice.id, 'AD');
    const rows = [rt, scalarRow(rt, 'uid', 'amartin')];
    const first = run(rows);
    expect(first.orders).toHaveLength(1);
    const second = run(rows, { inFlight: new Set(first.orders.flatMap((o) => o.assignmentIds)) });
    expect(second).toEqual({ orders: [], held: [], changes: [] });
  });

  it('values computed while the creation is in flight wait for the target instead of creating it twice', () => {
    const rt = rtRow(alice.id, 'AD');
    const late = navigationRow(rt, 'memberOf', groupG.id);
    const { orders, held } = run([rt, scalarRow(rt, 'uid', 'amartin'), late], {
      inFlight: new Set([rt.id, `${rt.id}/s:uid`]),
    });
    expect(orders).toEqual([]);
    expect(held).toMatchObject([{ code: 'AWAITING_CREATION', assignmentIds: [late.id] }]);
  });

  it('values of an account whose creation awaits review are held, not sent', () => {
    const rt = rtRow(alice.id, 'AD', { provisioningState: P.AwaitingApproval });
    const { orders, held } = run([rt, scalarRow(rt, 'uid', 'amartin')]);
    expect(orders).toEqual([]);
    expect(held[0]?.code).toBe('AWAITING_CREATION');
    expect(held[0]?.reason).toContain('state 5');
  });

  it('scenario 34: depends-on holds the creation until the other account is Executed or Verified', () => {
    const resourceTypes = [resourceType({ id: 'AD' }), resourceType({ id: 'Exchange', dependsOn: 'AD' })];
    const ex = rtRow(alice.id, 'Exchange');
    for (const [adState, emitted] of [
      [null, false],
      [P.Pending, false],
      [P.Transmitted, false],
      [P.Errored, false],
      [P.Executed, true],
      [P.Verified, true],
    ] as const) {
      const ad =
        adState === null
          ? []
          : [
              rtRow(alice.id, 'AD', {
                provisioningState: adState,
                pendingOperation: null,
                targetResourceId: aliceAccount.id,
              }),
            ];
      const { orders, held } = run([ex, ...ad], { resourceTypes });
      const exchangeOrders = orders.filter((o) => o.resourceTypeId === 'Exchange');
      expect(exchangeOrders.length, `AD in state ${adState}`).toBe(emitted ? 1 : 0);
      if (!emitted) {
        expect(held.filter((h) => h.assignedResourceTypeId === ex.id)).toMatchObject([
          { code: 'DEPENDS_ON_UNMET', assignmentIds: [ex.id] },
        ]);
      }
    }
  });

  it('scenario 35: an empty owner property holds the creation', () => {
    const resourceTypes = [resourceType({ id: 'AD', dependsOnOwnerProperty: 'department' })];
    const forBob = run([rtRow(bob.id, 'AD')], { resourceTypes });
    expect(forBob.orders).toEqual([]);
    expect(forBob.held[0]?.code).toBe('OWNER_PROPERTY_EMPTY');
    expect(forBob.held[0]?.reason).toContain('department');
    expect(run([rtRow(alice.id, 'AD')], { resourceTypes }).orders).toHaveLength(1);
  });

  it('scenario 38: fulfil hours ahead sends a creation that many hours before its start', () => {
    const resourceTypes = [resourceType({ id: 'AD', fulfilHoursAhead: 24 })];
    const rt = rtRow(alice.id, 'AD', { startDate: '2025-03-11T08:00:00.000Z' });
    const early = run([rt], { resourceTypes, now: '2025-03-10T07:59:59.000Z' });
    expect(early.orders).toEqual([]);
    expect(early.held).toMatchObject([{ code: 'NOT_YET_DUE', notBefore: '2025-03-10T08:00:00.000Z' }]);
    expect(run([rt], { resourceTypes, now: '2025-03-10T08:00:00.000Z' }).orders).toHaveLength(1);
  });

  it('scenario 38: with 0 hours ahead the order goes only once the assignment has started', () => {
    const rt = rtRow(alice.id, 'AD', { startDate: '2025-03-11T08:00:00.000Z' });
    expect(run([rt], { now: '2025-03-11T07:00:00.000Z' }).held[0]?.code).toBe('NOT_YET_DUE');
    expect(run([rt], { now: '2025-03-11T08:00:00.000Z' }).orders).toHaveLength(1);
  });

  it('a membership starting later is held on its own while the rest of the order goes', () => {
    const rt = rtRow(alice.id, 'AD', {
      provisioningState: P.Verified,
      pendingOperation: null,
      targetResourceId: aliceAccount.id,
    });
    const later = navigationRow(rt, 'memberOf', groupH.id, { startDate: '2025-04-01' });
    const { orders, held } = run([rt, navigationRow(rt, 'memberOf', groupG.id), later]);
    expect(orders[0]?.addedLinks).toEqual({ memberOf: [{ id: groupG.id, key: groupG.key }] });
    expect(held).toMatchObject([
      { code: 'NOT_YET_DUE', assignmentIds: [later.id], notBefore: '2025-04-01T00:00:00.000Z' },
    ]);
  });

  it('DESIGN §2.10: a value whose end date passed before hand-off becomes 6 Inactive and is never sent', () => {
    const rt = rtRow(alice.id, 'AD', {
      provisioningState: P.Verified,
      pendingOperation: null,
      targetResourceId: aliceAccount.id,
    });
    const past = navigationRow(rt, 'memberOf', groupG.id, { endDate: '2025-03-10T11:00:00.000Z' });
    const { orders, changes } = run([rt, past]);
    expect(orders).toEqual([]);
    expect(changes).toEqual([
      expect.objectContaining({
        assignmentId: past.id,
        from: P.Pending,
        to: P.Inactive,
        event: 'superseded',
        stateKind: 'provisioning',
      }),
    ]);
    expect(changes[0]?.message).toContain('2025-03-10T11:00:00.000Z');
  });

  it('scenario 44: the removal of an expired membership is still sent', () => {
    const rt = rtRow(alice.id, 'AD', {
      provisioningState: P.Verified,
      pendingOperation: null,
      targetResourceId: aliceAccount.id,
    });
    const expired = navigationRow(rt, 'memberOf', groupG.id, { pendingOperation: 'remove', endDate: '2025-03-09' });
    const { orders, changes } = run([rt, expired]);
    expect(changes).toEqual([]);
    expect(orders[0]?.removedLinks).toEqual({ memberOf: [{ id: groupG.id, key: groupG.key }] });
  });

  it('an account creation whose period ended takes its values to Inactive with it', () => {
    const rt = rtRow(alice.id, 'AD', { endDate: '2025-03-01' });
    const { orders, changes } = run([rt, scalarRow(rt, 'uid', 'amartin', { endDate: null })]);
    expect(orders).toEqual([]);
    expect(changes.map((c) => [c.assignmentId, c.to])).toEqual([
      [rt.id, P.Inactive],
      [`${rt.id}/s:uid`, P.Inactive],
    ]);
  });

  it('a create-only scalar is not rewritten on an existing account', () => {
    const rt = rtRow(alice.id, 'AD', {
      provisioningState: P.Verified,
      pendingOperation: null,
      targetResourceId: aliceAccount.id,
    });
    const title = scalarRow(rt, 'title', 'Boss', { mapped: false });
    const { orders, changes } = run([rt, title]);
    expect(orders).toEqual([]);
    expect(changes).toMatchObject([{ assignmentId: title.id, to: P.Inactive }]);
  });

  it('scenario 26: allowAdd=false holds the creation', () => {
    const { orders, held } = run([rtRow(alice.id, 'AD')], {
      resourceTypes: [resourceType({ id: 'AD', allowAdd: false })],
    });
    expect(orders).toEqual([]);
    expect(held[0]?.code).toBe('ADD_NOT_ALLOWED');
  });

  it('scenario 27: allowRemove=false holds the deletion for reconciliation', () => {
    const rt = rtRow(alice.id, 'AD', { pendingOperation: 'remove', targetResourceId: aliceAccount.id });
    const { orders, held } = run([rt], { resourceTypes: [resourceType({ id: 'AD', allowRemove: false })] });
    expect(orders).toEqual([]);
    expect(held[0]?.code).toBe('REMOVE_NOT_ALLOWED');
  });

  it('a deletion is not held by depends-on nor by a future start', () => {
    const resourceTypes = [resourceType({ id: 'AD', dependsOn: 'HR', fulfilHoursAhead: 0 })];
    const rt = rtRow(alice.id, 'AD', {
      pendingOperation: 'remove',
      targetResourceId: aliceAccount.id,
      startDate: '2030-01-01',
    });
    expect(run([rt], { resourceTypes }).orders[0]?.changeType).toBe('deleted');
  });

  it('an unknown group is held on its own with a readable reason', () => {
    const rt = rtRow(alice.id, 'AD');
    const ghost = navigationRow(rt, 'memberOf', 'g-ghost');
    const { orders, held } = run([rt, ghost]);
    expect(orders[0]?.assignmentIds).toEqual([rt.id]);
    expect(held).toMatchObject([{ code: 'RESOURCE_UNRESOLVED', assignmentIds: [ghost.id] }]);
    expect(held[0]?.reason).toContain('g-ghost');
  });

  it('rows of an unknown resource type, or without their resource type row, are held', () => {
    const rt = rtRow(alice.id, 'Nope');
    expect(run([rt]).held[0]?.code).toBe('UNKNOWN_RESOURCE_TYPE');
    expect(run([scalarRow(rtRow(alice.id, 'AD'), 'uid', 'x')]).held[0]?.code).toBe('ASSIGNED_RESOURCE_TYPE_MISSING');
  });

  it('refuses a "now" that is not a date', () => {
    expect(() => run([], { now: 'yesterday' })).toThrowError(/ISO-8601/);
  });
});
