import { type Assignment, assignmentIds, ProvisioningState } from '@ordo/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AssignmentStore } from '../../src/storage/assignment-store.ts';
import { ConfigVersionStore } from '../../src/storage/config-version-store.ts';
import type { Database } from '../../src/storage/database.ts';
import { GenerationRunStore, type StoredThresholdVerdict } from '../../src/storage/generation-run-store.ts';
import { LedgerStore } from '../../src/storage/ledger-store.ts';
import { migrateToLatest } from '../../src/storage/migrate-to-latest.ts';
import { OrderStore } from '../../src/storage/order-store.ts';
import { ResourceStore } from '../../src/storage/resource-store.ts';
import { createStores } from '../../src/storage/stores.ts';
import {
  compositeRole,
  group,
  ledgerEntry,
  navigation,
  order,
  person,
  resourceType,
  scalar,
  singleRole,
} from './fixtures.ts';

/** Gives a fresh, migrated database for each test; the suite closes it. */
export type DatabaseFactory = () => Promise<Database>;

/** Above SQLite's 32766 variables and PostgreSQL's 65535 parameters even at one column per row. */
const bulkSize = 70_000;

/**
 * The storage contract (house rule 5): every store behaves the same on every database. Run it
 * once per dialect with a factory for fresh migrated databases.
 */
export function storageContract(name: string, factory: DatabaseFactory): void {
  describe(`storage contract on ${name}`, () => {
    let database: Database;
    beforeEach(async () => {
      database = await factory();
    });
    afterEach(async () => {
      await database.close();
    });

    describe('migrations', () => {
      it('are idempotent: running again applies nothing and keeps the data', async () => {
        const resources = new ResourceStore(database);
        await resources.upsertMany([person(1)]);
        expect(await migrateToLatest(database)).toEqual([]);
        expect(await Promise.all([migrateToLatest(database), migrateToLatest(database)])).toEqual([[], []]);
        expect(await resources.get('p000001')).toEqual(person(1));
      });
    });

    describe('ConfigVersionStore', () => {
      it('numbers versions, keeps earlier ones readable and lists them without files', async () => {
        const store = new ConfigVersionStore(database);
        expect(await store.latest()).toBeUndefined();
        const files = { 'roles/ops.yaml': 'name: Opérations 🛠\n', 'big.yaml': 'x'.repeat(200_000) };
        expect(await store.apply({ files, hash: 'h1', appliedBy: 'alice', at: '2025-01-01T00:00:00.000Z' })).toBe(1);
        expect(await store.apply({ files: {}, hash: 'h2', appliedBy: 'bob', at: '2025-01-02T00:00:00.000Z' })).toBe(2);
        expect(await store.get(1)).toEqual({
          number: 1,
          appliedAt: '2025-01-01T00:00:00.000Z',
          appliedBy: 'alice',
          hash: 'h1',
          files,
        });
        expect((await store.latest())?.number).toBe(2);
        expect(await store.get(3)).toBeUndefined();
        expect(await store.list()).toEqual([
          { number: 1, appliedAt: '2025-01-01T00:00:00.000Z', appliedBy: 'alice', hash: 'h1' },
          { number: 2, appliedAt: '2025-01-02T00:00:00.000Z', appliedBy: 'bob', hash: 'h2' },
        ]);
      });

      it('gives concurrent applies distinct consecutive numbers', async () => {
        const store = new ConfigVersionStore(database);
        const numbers = await Promise.all(
          [1, 2, 3, 4].map((n) =>
            store.apply({ files: {}, hash: `h${n}`, appliedBy: 'ci', at: '2025-01-01T00:00:00.000Z' }),
          ),
        );
        expect([...numbers].sort()).toEqual([1, 2, 3, 4]);
      });
    });

    describe('ResourceStore', () => {
      it('round-trips values and ordered links, and finds by key', async () => {
        const store = new ResourceStore(database);
        const alice = person(1, {
          values: { name: 'Ålice 日本 🚀', n: 3.5, yes: true, none: null, long: 'y'.repeat(100_000) },
          links: { manager: ['p000002'], groups: ['g0003', 'g0001', 'g0002'] },
        });
        await store.upsertMany([alice, person(2), group(1)]);
        expect(await store.get('p000001')).toEqual(alice);
        expect(await store.findByKey('Person', 'E1')).toEqual(alice);
        expect(await store.findByKey('LdapGroup', 'E1')).toBeUndefined();
        expect(await store.get('nope')).toBeUndefined();
        expect((await store.getMany(['p000002', 'nope', 'p000001', 'p000002'])).map((r) => r.id)).toEqual([
          'p000002',
          'p000001',
        ]);
      });

      it('replaces values and links on upsert and refuses a duplicate key', async () => {
        const store = new ResourceStore(database);
        await store.upsertMany([person(1, { links: { groups: ['g0001', 'g0002'] } })]);
        const changed = person(1, { key: 'E1-new', values: { firstName: 'New' }, links: { groups: ['g0002'] } });
        await store.upsertMany([changed]);
        expect(await store.get('p000001')).toEqual(changed);
        expect(await store.findByKey('Person', 'E1')).toBeUndefined();
        await expect(store.upsertMany([person(2, { key: 'E1-new' })])).rejects.toThrow();
        expect(await store.get('p000002')).toBeUndefined();
      });

      it('pages by entity type with a keyset, counts, and finds resources linking to one', async () => {
        const store = new ResourceStore(database);
        await store.upsertMany([
          ...[5, 3, 1, 4, 2].map((n) => person(n, { links: n % 2 ? { groups: ['g0001'] } : { owner: ['g0001'] } })),
          group(1),
        ]);
        const first = await store.listByEntityType('Person', { limit: 2 });
        expect(first.map((r) => r.id)).toEqual(['p000001', 'p000002']);
        const next = await store.listByEntityType('Person', { limit: 10, afterId: 'p000002' });
        expect(next.map((r) => r.id)).toEqual(['p000003', 'p000004', 'p000005']);
        expect(await store.count('Person')).toBe(5);
        expect(await store.count('LdapGroup')).toBe(1);
        expect(await store.count('Nothing')).toBe(0);
        expect((await store.listLinkingTo('g0001')).map((r) => r.id)).toEqual([
          'p000001',
          'p000002',
          'p000003',
          'p000004',
          'p000005',
        ]);
        expect((await store.listLinkingTo('g0001', 'owner')).map((r) => r.id)).toEqual(['p000002', 'p000004']);
      });

      it('marks, lists and clears dirty resources; upserts mark dirty only when asked', async () => {
        const store = new ResourceStore(database);
        await store.upsertMany([person(1), person(2), group(1)]);
        expect(await store.listDirty()).toEqual([]);
        await store.markDirty(['p000002', 'g0001']);
        expect((await store.listDirty()).map((r) => r.id)).toEqual(['g0001', 'p000002']);
        expect((await store.listDirty('Person')).map((r) => r.id)).toEqual(['p000002']);
        // A plain upsert keeps the flag; a dirty upsert sets it.
        await store.upsertMany([person(2)]);
        await store.upsertMany([person(1)], { dirty: true });
        expect((await store.listDirty('Person')).map((r) => r.id)).toEqual(['p000001', 'p000002']);
        await store.clearDirty(['p000001', 'p000002']);
        expect((await store.listDirty()).map((r) => r.id)).toEqual(['g0001']);
      });

      it('marks every resource of an entity type dirty and says how many', async () => {
        const store = new ResourceStore(database);
        await store.upsertMany([person(1), person(2), group(1)]);
        expect(await store.markAllDirty('Person')).toBe(2);
        expect(await store.markAllDirty('Nothing')).toBe(0);
        expect((await store.listDirty()).map((r) => r.id)).toEqual(['p000001', 'p000002']);
      });

      it('records classification and deletes resources with their links', async () => {
        const store = new ResourceStore(database);
        await store.upsertMany([person(1, { links: { groups: ['g0001'] } }), person(2), group(1)]);
        await store.setClassifiedResourceType([
          { id: 'p000001', resourceTypeId: 'LdapAccount' },
          { id: 'p000002', resourceTypeId: 'LdapAccount' },
        ]);
        await store.setClassifiedResourceType([{ id: 'p000002', resourceTypeId: null }]);
        // An upsert keeps the classification; an unknown id is ignored.
        await store.upsertMany([person(1, { links: { groups: ['g0001'] } })]);
        await store.setClassifiedResourceType([{ id: 'missing', resourceTypeId: 'LdapAccount' }]);
        expect(await store.listByClassifiedResourceType('LdapAccount')).toEqual(['p000001']);
        await store.deleteMany(['p000001', 'missing']);
        expect(await store.get('p000001')).toBeUndefined();
        expect(await store.listLinkingTo('g0001')).toEqual([]);
        expect(await store.count('Person')).toBe(1);
      });

      it(`handles ${bulkSize} resources in one call (chunked under parameter limits)`, async () => {
        const store = new ResourceStore(database);
        const many = Array.from({ length: bulkSize }, (_, i) => person(i, { links: { groups: ['g0001', 'g0002'] } }));
        await store.upsertMany(many);
        expect(await store.count('Person')).toBe(bulkSize);
        const ids = many.map((r) => r.id);
        const loaded = await store.getMany(ids);
        expect(loaded.length).toBe(bulkSize);
        expect(loaded[bulkSize - 1]).toEqual(many[bulkSize - 1]);
        expect((await store.listLinkingTo('g0002', 'groups')).length).toBe(bulkSize);
        await store.markDirty(ids);
        expect((await store.listDirty('Person')).length).toBe(bulkSize);
        await store.clearDirty(ids);
        expect(await store.listDirty('Person')).toEqual([]);
        await store.deleteMany(ids);
        expect(await store.count('Person')).toBe(0);
      }, 120_000);
    });

    describe('AssignmentStore', () => {
      const owner = 'p000001';
      const all = (): Assignment[] => [
        compositeRole(owner, 'Composite/Ops'),
        singleRole(owner, 'Single/Dev'),
        resourceType(owner),
        {
          ...resourceType(owner, 'AdAccount', ProvisioningState.Errored),
          targetResourceId: 'ad-1',
          confidence: 150,
          message: 'LDAP 53: unwilling',
          pendingOperation: 'update',
        },
        scalar(owner, 'cn', 'Zoë Ångström 日本 🚀'),
        scalar(owner, 'uidNumber', 1042.5),
        scalar(owner, 'locked', false),
        scalar(owner, 'empty', null),
        { ...scalar(owner, 'description', 'd'.repeat(300_000)), currentValue: 'old "quoted" \\ value', mapped: true },
        navigation(owner, 'memberOf', 'g0001'),
        { ...navigation(owner, 'memberOf', 'g0002'), confidence: null, pendingOperation: null },
      ];

      it('round-trips every assignment kind with every field, including nulls and unicode', async () => {
        const store = new AssignmentStore(database);
        const assignments = all();
        await store.saveChanges({ upserts: assignments, deletes: [] });
        const loaded = await store.loadByOwners([owner, 'p000999']);
        const byId = (a: Assignment, b: Assignment) => (a.id < b.id ? -1 : 1);
        expect(loaded.get(owner)).toEqual([...assignments].sort(byId));
        expect(loaded.get('p000999')).toEqual([]);
        for (const a of assignments) expect(await store.get(a.id)).toEqual(a);
        expect(await store.get('sr:nobody:x')).toBeUndefined();
      });

      it('updates and deletes in one transaction, and rolls back with the caller', async () => {
        const store = new AssignmentStore(database);
        await store.saveChanges({ upserts: all(), deletes: [] });
        const verified = {
          ...resourceType(owner),
          provisioningState: ProvisioningState.Verified,
          pendingOperation: null,
        };
        await store.saveChanges({
          upserts: [verified],
          deletes: [
            assignmentIds.compositeRole(owner, 'Composite/Ops'),
            assignmentIds.scalar(assignmentIds.resourceType(owner, 'LdapAccount'), 'cn'),
          ],
        });
        expect(await store.get(verified.id)).toEqual(verified);
        expect(await store.get(assignmentIds.compositeRole(owner, 'Composite/Ops'))).toBeUndefined();
        expect(
          await store.get(assignmentIds.scalar(assignmentIds.resourceType(owner, 'LdapAccount'), 'cn')),
        ).toBeUndefined();

        const stores = createStores(database);
        await expect(
          stores.transaction(async (tx) => {
            await tx.assignments.saveChanges({ upserts: [singleRole('p000002', 'R')], deletes: [verified.id] });
            throw new Error('use case failed');
          }),
        ).rejects.toThrow('use case failed');
        expect(await store.get(verified.id)).toEqual(verified);
        expect(await store.get(assignmentIds.singleRole('p000002', 'R'))).toBeUndefined();
      });

      it('writes an id both deleted and upserted in one call, and replaces every column on upsert', async () => {
        const store = new AssignmentStore(database);
        const first = { ...scalar(owner, 'cn', 'first'), message: 'LDAP 32', pendingOperation: 'add' as const };
        const many = Array.from({ length: 150 }, (_, i) => singleRole(owner, `R${i}`));
        await store.saveChanges({ upserts: [first, ...many], deletes: [] });
        const replaced = {
          ...first,
          startDate: null,
          ruleId: null,
          provisioningState: ProvisioningState.Errored,
          pendingOperation: null,
          message: null,
          declined: true,
          computedValue: 42,
          currentValue: 'first',
          mapped: true,
        };
        const renamed = many.map((a) => ({ ...a, inferredFrom: null, endDate: null }));
        await store.saveChanges({ upserts: [replaced, ...renamed], deletes: [first.id, ...many.map((a) => a.id)] });
        expect(await store.get(first.id)).toEqual(replaced);
        const loaded = (await store.loadByOwners([owner])).get(owner) ?? [];
        expect(loaded.length).toBe(151);
        expect(loaded.filter((a) => a.kind === 'single_role')).toEqual(
          [...renamed].sort((a, b) => (a.id < b.id ? -1 : 1)),
        );
      });

      it('lists by provisioning state with keyset paging, counts by state, lists by resource type', async () => {
        const store = new AssignmentStore(database);
        await store.saveChanges({ upserts: [...all(), resourceType('p000002'), resourceType('p000003')], deletes: [] });
        const pending = await store.listByProvisioningState(ProvisioningState.Pending, { limit: 2 });
        expect(pending.map((a) => a.id)).toEqual(['rt:p000001:LdapAccount', 'rt:p000002:LdapAccount']);
        const rest = await store.listByProvisioningState(ProvisioningState.Pending, {
          limit: 2,
          afterId: 'rt:p000002:LdapAccount',
        });
        expect(rest.map((a) => a.id)).toEqual(['rt:p000003:LdapAccount']);
        const verified = await store.listByProvisioningState(ProvisioningState.Verified, { limit: 10 });
        expect(verified.map((a) => a.kind)).toEqual(['scalar', 'scalar', 'scalar', 'scalar', 'scalar']);
        expect(await store.countByState()).toEqual([
          { kind: 'resource_type', provisioningState: ProvisioningState.Pending, count: 3 },
          { kind: 'resource_type', provisioningState: ProvisioningState.Errored, count: 1 },
          { kind: 'scalar', provisioningState: ProvisioningState.Verified, count: 5 },
          { kind: 'navigation', provisioningState: ProvisioningState.AwaitingApproval, count: 2 },
        ]);
        const ad = await store.listByResourceType('AdAccount');
        expect(ad.map((a) => a.id)).toEqual(['rt:p000001:AdAccount']);
        expect((await store.listByResourceType('LdapAccount')).length).toBe(3 + 5 + 2);
      });

      it('reports emptiness, target ownership and targets per resource type', async () => {
        const store = new AssignmentStore(database);
        expect(await store.isEmpty()).toBe(true);
        expect(await store.countTargetsByResourceType()).toEqual({});
        await store.saveChanges({ upserts: [singleRole('p000001', 'R')], deletes: [] });
        expect(await store.isEmpty()).toBe(false);
        await store.saveChanges({
          upserts: [
            { ...resourceType('p000002'), targetResourceId: 'acc-2' },
            { ...resourceType('p000001'), targetResourceId: 'acc-1' },
            resourceType('p000003'),
            { ...resourceType('p000001', 'AdAccount'), targetResourceId: 'ad-1' },
          ],
          deletes: [],
        });
        expect(await store.listOwnership()).toEqual([
          { resourceId: 'acc-1', ownerId: 'p000001' },
          { resourceId: 'acc-2', ownerId: 'p000002' },
          { resourceId: 'ad-1', ownerId: 'p000001' },
        ]);
        expect(await store.countTargetsByResourceType()).toEqual({ LdapAccount: 2, AdAccount: 1 });
      });

      it(`loads and saves ${bulkSize} rows in one call (chunked under parameter limits)`, async () => {
        const store = new AssignmentStore(database);
        const owners = Array.from({ length: bulkSize }, (_, i) => `p${String(i).padStart(6, '0')}`);
        const upserts = owners.map((o) => resourceType(o));
        await store.saveChanges({ upserts, deletes: [] });
        const loaded = await store.loadByOwners(owners);
        expect(loaded.size).toBe(bulkSize);
        expect(loaded.get(owners[bulkSize - 1] as string)).toEqual([upserts[bulkSize - 1]]);
        await store.saveChanges({ upserts: [], deletes: upserts.map((a) => a.id) });
        expect(await store.countByState()).toEqual([]);
      }, 120_000);
    });

    describe('OrderStore', () => {
      it('round-trips orders and lists them by state, connector and owner with keyset paging', async () => {
        const store = new OrderStore(database);
        const modified = order(2, {
          changeType: 'modified',
          connector: 'ad',
          targetResourceId: 'ad-2',
          targetKey: 'CN=Zoë,OU=Users',
          removedLinks: { memberOf: [{ id: 'g0009', key: 'cn=old' }] },
          notBefore: '2025-06-02T00:00:00.000Z',
          state: ProvisioningState.AwaitingApproval,
        });
        await store.insertMany([order(1), modified, order(3)]);
        expect(await store.get('o000002')).toEqual(modified);
        expect(await store.get('o999999')).toBeUndefined();
        expect((await store.list({ limit: 10 })).map((o) => o.id)).toEqual(['o000001', 'o000002', 'o000003']);
        expect((await store.list({ state: ProvisioningState.Pending, limit: 1 })).map((o) => o.id)).toEqual([
          'o000001',
        ]);
        expect(
          (await store.list({ state: ProvisioningState.Pending, limit: 5, afterId: 'o000001' })).map((o) => o.id),
        ).toEqual(['o000003']);
        expect((await store.list({ connector: 'ad', limit: 5 })).map((o) => o.id)).toEqual(['o000002']);
        expect((await store.list({ ownerId: 'p000003', limit: 5 })).map((o) => o.id)).toEqual(['o000003']);
        await expect(store.insertMany([order(1)])).rejects.toThrow();
      });

      it('updates state only from the expected state (compare-and-set)', async () => {
        const store = new OrderStore(database);
        await store.insertMany([order(1)]);
        expect(await store.updateState('o000001', ProvisioningState.Transmitted, ProvisioningState.Executed)).toBe(
          false,
        );
        expect(await store.updateState('o000001', ProvisioningState.Pending, ProvisioningState.Transmitted)).toBe(true);
        expect((await store.get('o000001'))?.state).toBe(ProvisioningState.Transmitted);
        expect(await store.updateState('missing', ProvisioningState.Pending, ProvisioningState.Transmitted)).toBe(
          false,
        );
      });

      it('lets exactly one of two concurrent updaters win', async () => {
        const store = new OrderStore(database);
        await store.insertMany([order(1), order(2)]);
        const racing = await Promise.all([
          store.updateState('o000001', ProvisioningState.Pending, ProvisioningState.Transmitted),
          store.updateState('o000001', ProvisioningState.Pending, ProvisioningState.Inactive),
        ]);
        expect(racing.filter(Boolean)).toEqual([true]);

        // The first updater holds its transaction open: the second must wait for it and then lose.
        let updated!: () => void;
        const firstUpdated = new Promise<void>((resolve) => (updated = resolve));
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const first = database.transaction(async (tx) => {
          const won = await new OrderStore(tx).updateState(
            'o000002',
            ProvisioningState.Pending,
            ProvisioningState.Transmitted,
          );
          updated();
          await gate;
          return won;
        });
        await firstUpdated;
        const second = store.updateState('o000002', ProvisioningState.Pending, ProvisioningState.Inactive);
        await new Promise((resolve) => setTimeout(resolve, 50));
        release();
        expect(await first).toBe(true);
        expect(await second).toBe(false);
        expect((await store.get('o000002'))?.state).toBe(ProvisioningState.Transmitted);
      });

      it('lets the second updater win when the first rolls back', async () => {
        const store = new OrderStore(database);
        await store.insertMany([order(1)]);
        let updated!: () => void;
        const firstUpdated = new Promise<void>((resolve) => (updated = resolve));
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const first = database.transaction(async (tx) => {
          await new OrderStore(tx).updateState('o000001', ProvisioningState.Pending, ProvisioningState.Transmitted);
          updated();
          await gate;
          throw new Error('agent lost its lease');
        });
        await firstUpdated;
        const second = store.updateState('o000001', ProvisioningState.Pending, ProvisioningState.Inactive);
        await new Promise((resolve) => setTimeout(resolve, 50));
        release();
        await expect(first).rejects.toThrow('agent lost its lease');
        expect(await second).toBe(true);
        expect((await store.get('o000001'))?.state).toBe(ProvisioningState.Inactive);
      });

      it('counts a run’s orders by resource type and change type', async () => {
        const store = new OrderStore(database);
        await store.insertMany([
          order(1),
          order(2),
          order(3, { changeType: 'deleted' }),
          order(4, { resourceTypeId: 'AdAccount', changeType: 'modified' }),
          order(5, { runId: 'run-2' }),
        ]);
        expect(await store.countByResourceTypeAndChange('run-1')).toEqual([
          { resourceTypeId: 'AdAccount', changeType: 'modified', count: 1 },
          { resourceTypeId: 'LdapAccount', changeType: 'added', count: 2 },
          { resourceTypeId: 'LdapAccount', changeType: 'deleted', count: 1 },
        ]);
        expect(await store.countByResourceTypeAndChange('run-none')).toEqual([]);
      });

      it('offers due orders for leasing, oldest first, one at a time per target, and skips rows locked by another', async () => {
        const store = new OrderStore(database);
        const now = '2025-06-02T10:00:00.000Z';
        await store.insertMany([
          order(1),
          // The same target as order 1, newer: it waits until order 1 leaves Pending/Transmitted.
          order(2, { assignedResourceTypeId: order(1).assignedResourceTypeId, createdAt: '2025-06-01T11:00:00.000Z' }),
          order(3, { notBefore: '2025-06-03T00:00:00.000Z' }),
          order(4, { resourceTypeId: 'AdAccount' }),
          order(5, { state: ProvisioningState.AwaitingApproval }),
          order(6),
        ]);
        const ids = async (limit = 10) =>
          (await store.leaseCandidates({ resourceTypeIds: ['LdapAccount'], now, limit })).map((d) => d.order.id);
        expect(await ids()).toEqual(['o000001', 'o000006']);
        expect(await ids(1)).toEqual(['o000001']);
        const lease = { leaseOwner: 'a1', leaseToken: 't1', leaseExpiresAt: '2025-06-02T10:01:00.000Z', attempts: 1 };
        expect(
          await store.moveWithDispatch(
            'o000001',
            { from: ProvisioningState.Pending },
            ProvisioningState.Transmitted,
            lease,
          ),
        ).toBe(true);
        expect(await ids()).toEqual(['o000006']);
        const [dispatched] = await store.getDispatched(['o000001']);
        expect(dispatched?.dispatch).toMatchObject({
          leaseOwner: 'a1',
          leaseToken: 't1',
          attempts: 1,
          maybeApplied: false,
          lastError: null,
        });
        // An expired lease is offered again; a report under the old token no longer counts.
        expect(
          (
            await store.leaseCandidates({
              resourceTypeIds: ['LdapAccount'],
              now: '2025-06-02T10:02:00.000Z',
              limit: 10,
            })
          ).map((d) => d.order.id),
        ).toEqual(['o000001', 'o000006']);
        expect(
          await store.moveWithDispatch(
            'o000001',
            { from: ProvisioningState.Transmitted, leaseToken: 'other' },
            ProvisioningState.Executed,
            {},
          ),
        ).toBe(false);
        const failure = { message: 'timeout', kind: 'timeout', applied: 'maybe' as const, retryable: true };
        expect(
          await store.moveWithDispatch(
            'o000001',
            { from: ProvisioningState.Transmitted, leaseToken: 't1' },
            ProvisioningState.Executed,
            {
              leaseOwner: null,
              leaseToken: null,
              lastError: failure,
              maybeApplied: true,
              executedAt: now,
            },
          ),
        ).toBe(true);
        expect((await store.getDispatched(['o000001']))[0]?.dispatch).toMatchObject({
          lastError: failure,
          maybeApplied: true,
          leaseToken: null,
        });
        expect(await ids()).toEqual(['o000006', 'o000002']);
        expect(
          (await store.listStale(ProvisioningState.Executed, 'executed_at', '2025-06-03T00:00:00.000Z', 10)).map(
            (d) => d.order.id,
          ),
        ).toEqual(['o000001']);
        expect(await store.countByConnectorAndState()).toEqual([
          { connector: 'ldap', state: ProvisioningState.Pending, count: 4 },
          { connector: 'ldap', state: ProvisioningState.AwaitingApproval, count: 1 },
          { connector: 'ldap', state: ProvisioningState.Executed, count: 1 },
        ]);
      });

      it('lets two leasing transactions share the due orders without taking one twice', async () => {
        const store = new OrderStore(database);
        await store.insertMany(Array.from({ length: 20 }, (_, i) => order(i + 1)));
        const now = '2025-06-02T10:00:00.000Z';
        const lease = (agent: string) =>
          database.transaction(async (tx) => {
            const orders = new OrderStore(tx);
            const taken: string[] = [];
            for (const { order: o } of await orders.leaseCandidates({
              resourceTypeIds: ['LdapAccount'],
              now,
              limit: 15,
            })) {
              const ok = await orders.moveWithDispatch(
                o.id,
                { from: ProvisioningState.Pending },
                ProvisioningState.Transmitted,
                { leaseOwner: agent, leaseToken: agent, leaseExpiresAt: '2025-06-02T10:01:00.000Z' },
              );
              if (ok) taken.push(o.id);
            }
            return taken;
          });
        const [a, b] = await Promise.all([lease('a'), lease('b')]);
        expect(new Set([...a, ...b]).size).toBe(a.length + b.length);
        expect(a.length + b.length).toBe(20);
      });

      it('inserts 6000 orders in one call (16 columns each: above both parameter limits)', async () => {
        const store = new OrderStore(database);
        await store.insertMany(Array.from({ length: 6000 }, (_, i) => order(i)));
        expect(await store.countByResourceTypeAndChange('run-1')).toEqual([
          { resourceTypeId: 'LdapAccount', changeType: 'added', count: 6000 },
        ]);
      });
    });

    describe('LedgerStore', () => {
      it('appends entries and reads them back by assignment, order and owner, in order', async () => {
        const store = new LedgerStore(database);
        const results: unknown[] = [
          { nested: { list: [1, 'two', null, true] }, text: 'Ünïcødé 🚀' },
          null,
          undefined,
          42.25,
          'plain',
          ['a', { b: 'z'.repeat(100_000) }],
        ];
        await store.append(
          results.map((expressionResult, i) =>
            ledgerEntry({
              expressionResult,
              orderId: i % 2 ? 'o000001' : null,
              message: i === 1 ? 'declined by Zoë' : null,
              from: i,
              to: i === 5 ? null : i + 1,
            }),
          ),
        );
        await store.append([
          ledgerEntry({
            assignmentId: 'sr:p000002:R',
            ownerId: 'p000002',
            stateKind: 'workflow',
            cause: { kind: 'user', id: 'alice' },
          }),
        ]);
        const entries = await store.byAssignment('rt:p000001:LdapAccount');
        expect(entries.map((e) => e.expressionResult)).toEqual(results);
        expect(entries.every((e, i) => i === 0 || e.id > (entries[i - 1]?.id ?? Number.POSITIVE_INFINITY))).toBe(true);
        const { id: _id, ...first } = entries[0] ?? { id: 0 };
        expect(first).toEqual(ledgerEntry({ expressionResult: results[0], from: 0, to: 1 }));
        expect('expressionResult' in (entries[2] ?? {}) && entries[2]?.expressionResult).toBe(undefined);
        expect(entries[5]?.to).toBeNull();
        expect((await store.byOrder('o000001')).map((e) => e.from)).toEqual([1, 3, 5]);
        const other = await store.byOwner('p000002');
        expect(other).toHaveLength(1);
        expect(other[0]).toMatchObject({ stateKind: 'workflow', cause: { kind: 'user', id: 'alice' } });
        expect(await store.byOwner('nobody')).toEqual([]);
      });

      it('reads a workflow move and the provisioning move of the same event back as the two entries they were', async () => {
        const store = new LedgerStore(database);
        const workflow = ledgerEntry({
          stateKind: 'workflow',
          from: null,
          to: 18,
          event: 'rule_required',
          expressionResult: null,
        });
        const provisioning = ledgerEntry({ from: null, to: 1, event: 'computed_missing', expressionResult: 'jdoe' });
        // Not paired: another assignment, or a workflow entry with its own message.
        const alone = ledgerEntry({
          stateKind: 'workflow',
          to: 16,
          event: 'step_approved',
          expressionResult: null,
          message: 'ok',
        });
        const elsewhere = ledgerEntry({ assignmentId: 'rt:p000001:Other', from: null, to: 1, expressionResult: 'x' });
        await store.append([workflow, provisioning, alone, provisioning, workflow, elsewhere]);
        const read = (await store.byOwner('p000001')).map(({ id: _id, ...entry }) => entry);
        expect(read).toEqual([workflow, provisioning, alone, provisioning, workflow, elsewhere]);
        const ids = (await store.byOwner('p000001')).map((e) => e.id);
        expect(ids[0]).toBe(ids[1]);
        expect(new Set(ids).size).toBe(5);
      });

      it('appends 6000 entries in one call (13 columns each: above both parameter limits)', async () => {
        const store = new LedgerStore(database);
        await store.append(Array.from({ length: 6000 }, (_, i) => ledgerEntry({ from: i })));
        const entries = await store.byOwner('p000001');
        expect(entries.map((e) => e.from)).toEqual(Array.from({ length: 6000 }, (_, i) => i));
      });
    });

    describe('GenerationRunStore', () => {
      const verdict: StoredThresholdVerdict = {
        resourceTypeId: 'LdapAccount',
        changeType: 'deleted',
        count: 120,
        limit: 100,
        kind: 'absolute',
        percent: null,
        population: null,
        exceeded: true,
      };

      it('starts, blocks, resumes and finishes a run, each move only from its expected status', async () => {
        const store = new GenerationRunStore(database);
        const started = await store.start({ id: 'run-1', startedAt: '2025-06-01T10:00:00.000Z' });
        expect(started).toEqual({
          id: 'run-1',
          status: 'running',
          startedAt: '2025-06-01T10:00:00.000Z',
          blockedAt: null,
          resumedAt: null,
          resumedBy: null,
          finishedAt: null,
          verdicts: [],
          counts: {},
        });
        expect(await store.get('run-1')).toEqual(started);
        expect(await store.resume('run-1', { at: '2025-06-01T10:00:01.000Z', by: 'alice' })).toBe(false);
        expect(await store.block('run-1', [verdict], '2025-06-01T10:00:02.000Z')).toBe(true);
        expect(await store.block('run-1', [verdict], '2025-06-01T10:00:02.000Z')).toBe(false);
        expect(await store.finish('run-1', { at: '2025-06-01T10:00:03.000Z', counts: {} })).toBe(false);
        expect(await store.latestBlocked()).toMatchObject({
          id: 'run-1',
          status: 'blocked',
          verdicts: [verdict],
          blockedAt: '2025-06-01T10:00:02.000Z',
        });
        expect(await store.resume('run-1', { at: '2025-06-01T11:00:00.000Z', by: 'alice' })).toBe(true);
        expect(await store.latestBlocked()).toBeUndefined();
        const counts = { LdapAccount: { added: 3, modified: 0, deleted: 120 } };
        expect(await store.finish('run-1', { at: '2025-06-01T11:00:05.000Z', counts })).toBe(true);
        expect(await store.get('run-1')).toEqual({
          ...started,
          status: 'completed',
          blockedAt: '2025-06-01T10:00:02.000Z',
          resumedAt: '2025-06-01T11:00:00.000Z',
          resumedBy: 'alice',
          finishedAt: '2025-06-01T11:00:05.000Z',
          verdicts: [verdict],
          counts,
        });
        expect(await store.get('run-unknown')).toBeUndefined();
      });

      it('finishes a run that was never blocked and returns the newest blocked run', async () => {
        const store = new GenerationRunStore(database);
        await store.start({ id: 'a', startedAt: '2025-06-01T10:00:00.000Z' });
        await store.start({ id: 'b', startedAt: '2025-06-01T12:00:00.000Z' });
        await store.start({ id: 'c', startedAt: '2025-06-01T11:00:00.000Z' });
        expect(
          await store.finish('a', {
            at: '2025-06-01T10:01:00.000Z',
            counts: {},
            verdicts: [{ ...verdict, exceeded: false }],
          }),
        ).toBe(true);
        expect((await store.get('a'))?.verdicts).toEqual([{ ...verdict, exceeded: false }]);
        await store.block('c', [verdict], '2025-06-01T11:00:01.000Z');
        await store.block('b', [verdict], '2025-06-01T12:00:01.000Z');
        expect((await store.latestBlocked())?.id).toBe('b');
        await expect(store.start({ id: 'a', startedAt: '2025-06-01T13:00:00.000Z' })).rejects.toThrow();
      });
    });

    describe('SyncStore', () => {
      it('keeps one cookie per connection and entity type, and runs whose status moves only from the expected one', async () => {
        const { sync } = createStores(database);
        expect(await sync.cookie('HrCsv', 'Person')).toBeNull();
        await sync.saveState({
          connector: 'HR',
          connection: 'HrCsv',
          entityType: 'Person',
          cookie: 'c1',
          at: '2025-06-02T10:00:00.000Z',
          complete: true,
        });
        await sync.saveState({
          connector: 'HR',
          connection: 'HrCsv',
          entityType: 'Person',
          cookie: 'c2',
          at: '2025-06-02T11:00:00.000Z',
          complete: false,
        });
        expect(await sync.cookie('HrCsv', 'Person')).toBe('c2');
        const run = {
          id: 's1',
          connector: 'HR',
          connection: 'HrCsv',
          entityType: 'Person',
          mode: 'complete' as const,
          status: 'blocked' as const,
          inserted: 0,
          updated: 1,
          deleted: 50,
          verdicts: [{ change: 'deleted' as const, count: 50, limit: 10, exceeded: true }],
          startedAt: '2025-06-02T10:00:00.000Z',
          finishedAt: null,
          resumedBy: null,
        };
        await sync.record(run);
        expect(await sync.latest('HrCsv', 'Person', 'blocked')).toEqual(run);
        expect(await sync.setStatus('s1', 'resumed', 'consumed')).toBe(false);
        expect(await sync.setStatus('s1', 'blocked', 'resumed', 'alice')).toBe(true);
        expect(await sync.latest('HrCsv', 'Person', 'resumed')).toMatchObject({ resumedBy: 'alice' });
        expect(await sync.list(10)).toHaveLength(1);
      });
    });

    describe('AgentTokenStore', () => {
      it('finds the agent of a token by its hash only, and not once revoked', async () => {
        const { agentTokens } = createStores(database);
        await agentTokens.create({ id: 't1', agent: 'branch', token: 'secret-token', at: '2025-06-02T10:00:00.000Z' });
        expect(await agentTokens.agentOf('secret-token')).toBe('branch');
        expect(await agentTokens.agentOf('secret-tokem')).toBeUndefined();
        const stored = await database.db.selectFrom('agent_tokens').selectAll().execute();
        expect(JSON.stringify(stored)).not.toContain('secret-token');
        expect(await agentTokens.revoke('t1', '2025-06-02T11:00:00.000Z')).toBe(true);
        expect(await agentTokens.agentOf('secret-token')).toBeUndefined();
      });
    });

    describe('Stores', () => {
      it('commits several stores in one transaction', async () => {
        const stores = createStores(database);
        await stores.transaction(async (tx) => {
          await tx.resources.upsertMany([person(1)], { dirty: true });
          await tx.orders.insertMany([order(1)]);
          await tx.ledger.append([ledgerEntry({ orderId: 'o000001' })]);
          await tx.resources.clearDirty(['p000001']);
        });
        expect(await stores.resources.listDirty()).toEqual([]);
        expect(await stores.orders.get('o000001')).toEqual(order(1));
        expect(await stores.ledger.byOrder('o000001')).toHaveLength(1);
      });
    });
  });
}
