import type { ScalarValue } from '@ordo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, ObjectState } from '../../src/connector.ts';
import { ConnectorError } from '../../src/connector-error.ts';

/** An account as the system holds it, read without the connector (ldapsearch, plain SQL, raw HTTP). */
export interface IndependentAccount {
  readonly values: Readonly<Record<string, ScalarValue>>;
  /** Keys of the groups it belongs to. */
  readonly groups: readonly string[];
}

/**
 * What one connector brings to the contract suite: a connector on its real system, with two
 * groups that already exist, and a way to check the system without going through the connector.
 */
export interface ContractSubject {
  readonly connector: Connector;
  readonly accountType: string;
  readonly groupType: string;
  /** Navigation property of the account type that holds its groups. */
  readonly membership: string;
  /** Two existing groups, by key. */
  readonly groups: readonly [string, string];
  /** Key and values of a new account named after `name` (unique per test). */
  newAccount(name: string): { key: string; values: Record<string, ScalarValue> };
  /** A value change that the system stores as given (for update tests): property and value. */
  readonly changeable: { readonly property: string; readonly value: (name: string) => string };
  /** A property that may be cleared with null. */
  readonly clearable: string;
  independentRead(key: string): Promise<IndependentAccount | null>;
  /** Counts accounts whose key starts with this prefix, without the connector. */
  independentCount(keyPrefixName: string): Promise<number>;
  /** Waits long enough for the incremental cookie to tell changes apart (LDAP timestamps are in seconds). */
  readonly incrementalGranularityMs?: number;
  close(): Promise<void>;
}

let counter = 0;
/** Account names unique across runs and tests, with characters that need escaping in DNs, filters and URLs. */
function uniqueName(label: string): string {
  counter += 1;
  return `${label}${counter}x${Date.now().toString(36)}`;
}

export function describeConnectorContract(name: string, setup: () => Promise<ContractSubject>): void {
  describe(`connector contract: ${name}`, () => {
    let s: ContractSubject;
    let c: Connector;
    beforeAll(async () => {
      s = await setup();
      c = s.connector;
    });
    afterAll(async () => {
      await s?.close();
    });

    const create = (key: string, values: Record<string, ScalarValue>, links: Record<string, string[]> = {}) =>
      c.fulfil({ kind: 'create', entityType: s.accountType, key, values, links });
    const read = (key: string) =>
      c.read({ entityType: s.accountType, key, properties: Object.keys(s.newAccount('probe').values) });

    it('answers a connection test', async () => {
      await expect(c.testConnection()).resolves.toBeUndefined();
    });

    it('creates an account with its groups, and reads back what it wrote', async () => {
      const account = s.newAccount(uniqueName('create'));
      const outcome = await create(account.key, account.values, { [s.membership]: [s.groups[0]] });
      expect(outcome.changed).toBe(true);
      const found = await read(outcome.key);
      expect(found).not.toBeNull();
      for (const [property, value] of Object.entries(account.values)) {
        expect(found?.values[property], property).toEqual(value);
      }
      expect(found?.links[s.membership]).toEqual([s.groups[0]]);
      const independent = await s.independentRead(outcome.key);
      expect(independent?.groups).toEqual([s.groups[0]]);
      expect(independent?.values[s.changeable.property]).toEqual(account.values[s.changeable.property]);
    });

    it('ensures: creating the same account twice changes nothing the second time', async () => {
      const name = uniqueName('twice');
      const account = s.newAccount(name);
      const first = await create(account.key, account.values, { [s.membership]: [s.groups[0]] });
      const second = await create(account.key, account.values, { [s.membership]: [s.groups[0]] });
      expect(first.changed).toBe(true);
      expect(second.changed).toBe(false);
      expect(second.key).toBe(first.key);
      expect(await s.independentCount(name)).toBe(1);
    });

    it('ensures: a create over an existing account with other values patches it', async () => {
      const name = uniqueName('patch');
      const account = s.newAccount(name);
      await create(account.key, account.values);
      const wanted = { ...account.values, [s.changeable.property]: s.changeable.value(name) };
      const again = await create(account.key, wanted, { [s.membership]: [s.groups[1]] });
      expect(again.changed).toBe(true);
      const independent = await s.independentRead(again.key);
      expect(independent?.values[s.changeable.property]).toBe(s.changeable.value(name));
      expect(independent?.groups).toEqual([s.groups[1]]);
      expect(await s.independentCount(name)).toBe(1);
    });

    it('updates only the given values, and a repeated update changes nothing', async () => {
      const name = uniqueName('update');
      const account = s.newAccount(name);
      const { key } = await create(account.key, account.values);
      const values = { [s.changeable.property]: s.changeable.value(name) };
      const update = { kind: 'update' as const, entityType: s.accountType, key, values, addLinks: {}, removeLinks: {} };
      expect((await c.fulfil(update)).changed).toBe(true);
      expect((await c.fulfil(update)).changed).toBe(false);
      const found = await read(key);
      expect(found?.values[s.changeable.property]).toBe(s.changeable.value(name));
      for (const [property, value] of Object.entries(account.values)) {
        if (property !== s.changeable.property) expect(found?.values[property], property).toEqual(value);
      }
    });

    it('clears a value set to null', async () => {
      const account = s.newAccount(uniqueName('clear'));
      const { key } = await create(account.key, account.values);
      await c.fulfil({
        kind: 'update',
        entityType: s.accountType,
        key,
        values: { [s.clearable]: null },
        addLinks: {},
        removeLinks: {},
      });
      const found = await read(key);
      expect(found?.values[s.clearable] ?? null).toBeNull();
    });

    it('adds and removes one membership without touching the others', async () => {
      const account = s.newAccount(uniqueName('member'));
      const { key } = await create(account.key, account.values, { [s.membership]: [s.groups[0]] });
      const links = (add: string[], remove: string[]) => ({
        kind: 'update' as const,
        entityType: s.accountType,
        key,
        values: {},
        addLinks: { [s.membership]: add },
        removeLinks: { [s.membership]: remove },
      });
      expect((await c.fulfil(links([s.groups[1]], []))).changed).toBe(true);
      expect((await s.independentRead(key))?.groups.slice().sort()).toEqual([...s.groups].sort());
      expect((await c.fulfil(links([s.groups[1]], []))).changed).toBe(false);
      expect((await c.fulfil(links([], [s.groups[0]]))).changed).toBe(true);
      expect((await c.fulfil(links([], [s.groups[0]]))).changed).toBe(false);
      expect((await s.independentRead(key))?.groups).toEqual([s.groups[1]]);
      expect((await read(key))?.links[s.membership]).toEqual([s.groups[1]]);
    });

    it('deletes an account, and a second delete changes nothing', async () => {
      const name = uniqueName('delete');
      const account = s.newAccount(name);
      const { key } = await create(account.key, account.values, { [s.membership]: [s.groups[0]] });
      expect((await c.fulfil({ kind: 'delete', entityType: s.accountType, key })).changed).toBe(true);
      expect((await c.fulfil({ kind: 'delete', entityType: s.accountType, key })).changed).toBe(false);
      expect(await read(key)).toBeNull();
      expect(await s.independentRead(key)).toBeNull();
      expect(await s.independentCount(name)).toBe(0);
    });

    it('reads a missing account as null', async () => {
      const account = s.newAccount(uniqueName('missing'));
      expect(await read(account.key)).toBeNull();
    });

    it('refuses to update a missing account with not_found, not applied', async () => {
      const account = s.newAccount(uniqueName('absent'));
      const error = await c
        .fulfil({
          kind: 'update',
          entityType: s.accountType,
          key: account.key,
          values: { [s.changeable.property]: 'x' },
          addLinks: {},
          removeLinks: {},
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectorError);
      expect(error).toMatchObject({ kind: 'not_found', applied: 'no', retryable: false });
    });

    it('exports every account page by page, with values and memberships', async () => {
      if (!c.capabilities.completeExport) return;
      const names = [uniqueName('export'), uniqueName('export'), uniqueName('export')];
      const keys: string[] = [];
      for (const n of names) {
        const account = s.newAccount(n);
        keys.push((await create(account.key, account.values, { [s.membership]: [s.groups[1]] })).key);
      }
      const seen = new Map<string, ObjectState>();
      let pages = 0;
      const outcome = await c.export(
        { entityType: s.accountType, mode: 'complete', cookie: null, pageSize: 2 },
        async (page) => {
          pages += 1;
          for (const o of page.objects) {
            expect(seen.has(o.key), `exported twice: ${o.key}`).toBe(false);
            seen.set(o.key, o);
          }
        },
      );
      expect(outcome.mode).toBe('complete');
      expect(pages).toBeGreaterThan(1);
      for (const key of keys) {
        expect(seen.get(key)?.links[s.membership]).toEqual([s.groups[1]]);
        expect(seen.get(key)?.values[s.changeable.property]).toBeDefined();
      }
      const groups = new Set<string>();
      await c.export({ entityType: s.groupType, mode: 'complete', cookie: null }, async (page) => {
        for (const o of page.objects) groups.add(o.key);
      });
      expect([...groups]).toEqual(expect.arrayContaining([...s.groups]));
    });

    it('exports incrementally only what changed since the cookie', async () => {
      if (!c.capabilities.incrementalExport) return;
      const before = s.newAccount(uniqueName('incbefore'));
      await create(before.key, before.values);
      const first = await c.export({ entityType: s.accountType, mode: 'incremental', cookie: null }, async () => {});
      expect(first.cookie).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, s.incrementalGranularityMs ?? 0));
      const name = uniqueName('incafter');
      const after = s.newAccount(name);
      const { key } = await create(after.key, after.values);
      const changed = new Set<string>();
      const second = await c.export(
        { entityType: s.accountType, mode: 'incremental', cookie: first.cookie },
        async (page) => {
          for (const o of page.objects) changed.add(o.key);
        },
      );
      expect(second.mode).toBe('incremental');
      expect(changed.has(key)).toBe(true);
      expect(changed.has(before.key)).toBe(false);
    });
  });
}
