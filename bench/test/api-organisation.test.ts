import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { apiBenchConfiguration, directoryAccount, directoryAccountBatches } from '../api-organisation.ts';
import { groupResources, person } from '../synthetic-organisation.ts';

describe('apiBenchConfiguration', () => {
  it('changes the synthetic organisation so that every queue has something in it', () => {
    const files = apiBenchConfiguration();
    const connectors = parse(files['connectors.yaml'] ?? '').connectors;
    const resourceTypes = parse(files['resource-types.yaml'] ?? '').resourceTypes;
    expect(connectors.Wiki.connections.WikiConnection.kind).toBe('manual');
    expect(resourceTypes.WikiAccount.fulfil.connection).toBe('WikiConnection');
    expect(resourceTypes.CrmAccount.requireProvisioningReview).toBe(true);
    expect(resourceTypes.DirectoryAccount.classifications).toHaveLength(1);
    expect(parse(files['profiles.yaml'] ?? '').profiles.Administrator.permissions).toContain('/Custom/Resources');
    // The rest is the compute benchmark's organisation, unchanged.
    expect(Object.keys(files).sort()).toEqual([
      'connectors.yaml',
      'entity-types.yaml',
      'profiles.yaml',
      'resource-types.yaml',
      'roles.yaml',
    ]);
  });
});

describe('directoryAccount', () => {
  it('gives most people an account correlated by employee number, some none, and some orphans', () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => directoryAccount(i));
    const orphans = accounts.filter((a) => a?.values.title === 'Former employee');
    expect(orphans).toHaveLength(10);
    expect(accounts.filter((a) => a === null)).toHaveLength(100);
    const first = directoryAccount(0);
    expect(first?.values.employeeNumber).toBe(person(0).values.employeeId);
    expect(first?.entityType).toBe('DirectoryAccount');
    expect(first?.id).toBe(`DirectoryAccount:${first?.key}`);
  });

  it('links only to groups that exist in the directory', () => {
    const groups = new Set(groupResources().map((g) => g.id));
    const links = Array.from({ length: 300 }, (_, i) => directoryAccount(i)?.links.memberOf ?? []).flat();
    expect(links.length).toBeGreaterThan(0);
    for (const id of links) expect(groups.has(id)).toBe(true);
  });

  it('is the same in batches as one by one, with unique ids', () => {
    const batched = [...directoryAccountBatches(250, 40)].flat();
    const single = Array.from({ length: 250 }, (_, i) => directoryAccount(i)).filter((a) => a !== null);
    expect(batched).toEqual(single);
    expect(new Set(batched.map((a) => a.id)).size).toBe(batched.length);
  });
});
