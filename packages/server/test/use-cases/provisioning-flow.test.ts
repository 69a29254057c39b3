import { ProvisioningState, WorkflowState } from '@ordo/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfigurationFolder } from '../../src/config/read-configuration-folder.ts';
import { applyConfiguration, loadAppliedModel } from '../../src/use-cases/configuration.ts';
import { orderTimeline } from '../../src/use-cases/order-timeline.ts';
import { planConfiguration } from '../../src/use-cases/plan-configuration.ts';
import { cause, exampleFolder, exampleOrdo, exampleRecords, type OrdoHarness } from './harness.ts';

/**
 * The whole server-side path on the sample configuration and its synthetic data: apply a
 * configuration, import synchronized data, compute, plan, generate orders with thresholds, read an
 * order's timeline, then an HR change handled incrementally.
 */
describe('provisioning flow on the example configuration (SQLite)', () => {
  let ordo: OrdoHarness;
  beforeEach(async () => {
    ordo = await exampleOrdo();
    await ordo.import(exampleRecords());
  });
  afterEach(() => ordo.close());

  it('keeps configuration versions: the same folder is not stored twice, older versions stay readable', async () => {
    const files = await readConfigurationFolder(exampleFolder);
    const again = await applyConfiguration({ stores: ordo.stores, clock: ordo.clock }, files, cause);
    expect(again).toMatchObject({ version: 1, unchanged: true });
    const changed = files.map((f) =>
      f.path === 'roles.yaml' ? { ...f, text: f.text.replace('Member of staff', 'Staff members') } : f,
    );
    const next = await applyConfiguration({ stores: ordo.stores, clock: ordo.clock }, changed, cause);
    expect(next).toMatchObject({ version: 2, unchanged: false });
    expect(next.dirtyIdentities).toBe(300);
    expect((await loadAppliedModel(ordo.stores, 1)).model.singleRoles.StaffGroup?.displayName).toBe('Member of staff');
    expect((await loadAppliedModel(ordo.stores)).model.singleRoles.StaffGroup?.displayName).toBe('Staff members');
  });

  it('computes every identity, correlates existing accounts, and a second complete run changes nothing', async () => {
    const first = await ordo.compute();
    expect(first.identities).toBe(300);
    expect(first.errors).toEqual([]);
    const rows = await ordo.allAssignments();
    const accounts = rows.filter((a) => a.kind === 'resource_type' && a.resourceTypeId === 'LdapAccount');
    expect(accounts).toHaveLength(300);
    // Every third person already had an account, found by employee number (confidence 120).
    const correlated = accounts.filter(
      (a) => a.kind === 'resource_type' && a.targetResourceId !== null && a.confidence === 120,
    );
    expect(correlated).toHaveLength(100);
    const e3 = rows.find((a) => a.id === 'rt:Person:E00003:LdapAccount');
    expect(e3).toMatchObject({
      targetResourceId: expect.stringContaining('LdapAccount:uid='),
      workflowState: WorkflowState.Calculated,
    });

    const second = await ordo.compute();
    expect(second).toMatchObject({ identities: 300, assignmentsWritten: 0, assignmentsRemoved: 0, stateChanges: 0 });
  });

  it('plans a configuration without writing anything', async () => {
    await ordo.compute();
    const before = { rows: await ordo.allAssignments(), orders: await ordo.stores.orders.list({ limit: 10 }) };
    const plan = await planConfiguration({ stores: ordo.stores, clock: ordo.clock }, ordo.model);
    expect(plan.identities).toBe(300);
    expect(plan.orders.LdapAccount?.added).toBe(200);
    expect(plan.blocked).toBe(true);
    expect(
      plan.verdicts.some((v) => v.resourceTypeId === 'LdapAccount' && v.changeType === 'added' && v.exceeded),
    ).toBe(true);
    expect(await ordo.allAssignments()).toEqual(before.rows);
    expect(await ordo.stores.orders.list({ limit: 10 })).toEqual(before.orders);
  });

  it('blocks a generation run over the thresholds, writes it once resumed, and never emits an order twice', async () => {
    await ordo.compute();
    const blocked = await ordo.generate();
    expect(blocked.status).toBe('blocked');
    expect(await ordo.stores.orders.list({ limit: 10 })).toEqual([]);

    const resumed = await ordo.generate(true);
    expect(resumed.status).toBe('completed');
    if (resumed.status !== 'completed') return;
    const added = resumed.orders.filter((o) => o.resourceTypeId === 'LdapAccount' && o.changeType === 'added');
    expect(added).toHaveLength(200);

    const again = await ordo.generate();
    expect(again.status === 'completed' && again.orders).toEqual([]);
  });

  it("tells an order's whole story: the rule and value that made each assignment, then the order", async () => {
    await ordo.compute();
    expect((await ordo.generate()).status).toBe('blocked');
    expect((await ordo.generate(true)).status).toBe('completed');
    const [order] = await ordo.stores.orders
      .list({ ownerId: 'Person:E00001', limit: 5 })
      .then((list) => list.filter((o) => o.resourceTypeId === 'LdapAccount'));
    expect(order?.changeType).toBe('added');
    const timeline = await orderTimeline({ stores: ordo.stores }, order!.id);
    const mail = timeline.entries.find((e) => e.assignmentId.endsWith('/s:mail') && e.event === 'computed_missing');
    expect(mail).toMatchObject({
      ruleId: expect.stringContaining('scalars[4]'),
      expressionResult: expect.stringMatching(/@example\.org$/),
      cause,
      to: ProvisioningState.Pending,
    });
    expect(timeline.entries.at(-1)).toMatchObject({ orderId: order!.id, event: 'order_generated_added' });
  });

  it('scenarios 23 and 39: an HR change reaches only that identity (dirty run) and leaves only the changed values pending', async () => {
    await ordo.compute();
    await ordo.generate();
    await ordo.generate(true);
    const e3 = exampleRecords().find((r) => r.key === 'E00003')!;
    const account = await ordo.stores.assignments.get('rt:Person:E00003:LdapAccount');
    expect(account).toBeDefined();
    await ordo.import([{ ...e3, values: { ...e3.values, jobTitle: 'Director', lastName: 'Nouveau' } }]);
    const incremental = await ordo.compute({ kind: 'dirty' });
    expect(incremental.identities).toBe(1);
    const sn = await ordo.stores.assignments.get('rt:Person:E00003:LdapAccount/s:sn');
    expect(sn).toMatchObject({
      computedValue: 'Nouveau',
      provisioningState: ProvisioningState.Pending,
      pendingOperation: 'update',
    });
  });
});
