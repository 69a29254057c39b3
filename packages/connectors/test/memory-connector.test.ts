import type { EntityType } from '@ordo/core';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../src/connector-error.ts';
import { createMemoryConnector, MemoryConnector, memorySystem } from '../src/memory/memory-connector.ts';
import { describeConnectorContract } from './contract/connector-contract.ts';

const scalar = (name: string) => ({ kind: 'scalar' as const, name, type: 'string' as const });
const entityTypes: Record<string, EntityType> = {
  Account: {
    id: 'Account',
    displayName: 'Account',
    key: 'login',
    properties: {
      login: scalar('login'),
      mail: scalar('mail'),
      title: scalar('title'),
      groups: { kind: 'navigation', name: 'groups', target: 'Group', multiValued: true },
    },
    context: { start: null, end: null },
  },
  Group: {
    id: 'Group',
    displayName: 'Group',
    key: 'name',
    properties: { name: scalar('name') },
    context: { start: null, end: null },
  },
};

describeConnectorContract('memory', async () => {
  const name = `contract-${Date.now()}`;
  const system = memorySystem(name);
  for (const group of ['staff', 'admins'])
    system.put({ entityType: 'Group', key: group, values: { name: group }, links: {} });
  return {
    connector: createMemoryConnector({ connectionId: 'Memory', settings: { system: name }, entityTypes }),
    accountType: 'Account',
    groupType: 'Group',
    membership: 'groups',
    groups: ['staff', 'admins'],
    newAccount: (n) => ({ key: n, values: { login: n, mail: `${n}@example.org`, title: 'Engineer' } }),
    changeable: { property: 'mail', value: (n) => `changed.${n}@example.org` },
    clearable: 'title',
    independentRead: async (key) => {
      const o = system.get('Account', key);
      return o && { values: o.values, groups: [...(o.links.groups ?? [])] };
    },
    independentCount: async (prefix) => system.keys('Account').filter((k) => k.startsWith(prefix)).length,
    close: async () => {},
  };
});

describe('memory connector faults', () => {
  const create = { kind: 'create' as const, entityType: 'Account', key: 'ada', values: { login: 'ada' }, links: {} };

  it('timeout_after applies the change, then fails as maybe applied', async () => {
    const system = memorySystem(`faults-${Math.random()}`);
    const connector = new MemoryConnector(system, ['Account']);
    system.armFault({ kind: 'timeout_after' });
    const error = await connector.fulfil(create).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'timeout', applied: 'maybe', retryable: true });
    expect(system.get('Account', 'ada')).not.toBeNull();
    expect((await connector.fulfil(create)).changed).toBe(false);
    expect(system.applied).toHaveLength(1);
  });

  it('unreachable and timeout_before change nothing and are retryable', async () => {
    const system = memorySystem(`faults-${Math.random()}`);
    const connector = new MemoryConnector(system, ['Account']);
    system.armFault({ kind: 'unreachable' });
    system.armFault({ kind: 'timeout_before' });
    await expect(connector.fulfil(create)).rejects.toMatchObject({
      kind: 'unreachable',
      applied: 'no',
      retryable: true,
    });
    await expect(connector.fulfil(create)).rejects.toMatchObject({ kind: 'timeout', applied: 'no', retryable: true });
    expect(system.count('Account')).toBe(0);
    expect((await connector.fulfil(create)).changed).toBe(true);
  });

  it('schema and permission errors are permanent', async () => {
    const system = memorySystem(`faults-${Math.random()}`);
    const connector = new MemoryConnector(system, ['Account']);
    system.armFault({ kind: 'schema', message: 'attribute mail is not allowed' });
    system.armFault({ kind: 'permission' });
    await expect(connector.fulfil(create)).rejects.toMatchObject({ kind: 'schema', retryable: false });
    await expect(connector.fulfil(create)).rejects.toMatchObject({ kind: 'permission', retryable: false });
  });

  it('refuses a connection without a system name, as a configuration error', () => {
    expect(() => createMemoryConnector({ connectionId: 'M', settings: {}, entityTypes })).toThrow(ConnectorError);
  });
});
