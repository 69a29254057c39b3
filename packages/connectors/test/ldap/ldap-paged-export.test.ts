import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, ObjectState } from '../../src/connector.ts';
import { type Slapd, startSlapd } from '../support/slapd.ts';
import { ldapConnector } from './ldap-test-model.ts';
import { ldapmodify, ldapsearch } from './ldapsearch.ts';

const total = 1_200;

describe('LDAP paged export of a larger directory', () => {
  let slapd: Slapd;
  let c: Connector;
  const staffMembers = new Set<string>();
  const prefix = `bulk${Date.now().toString(36)}x`;
  beforeAll(async () => {
    slapd = await startSlapd();
    c = ldapConnector(slapd);
    // Loaded with ldapmodify (one process, one connection): the connector is what is under test.
    const records: string[] = [];
    for (let i = 0; i < total; i += 1) {
      const dn = `uid=${prefix}${i},${slapd.peopleDn}`;
      records.push(
        `dn: ${dn}\nobjectClass: inetOrgPerson\nuid: ${prefix}${i}\ncn: Bulk ${i}\nsn: Bulk\nemployeeNumber: ${i}\n`,
      );
      if (i % 4 === 0) staffMembers.add(dn);
    }
    records.push(
      `dn: ${slapd.groups.staff}\nchangetype: modify\nadd: member\n${[...staffMembers].map((m) => `member: ${m}`).join('\n')}\n`,
    );
    await ldapmodify(slapd, records.join('\n'));
  });
  afterAll(async () => {
    await c?.close();
    await slapd?.destroy();
  });

  it(`exports ${total} accounts in pages of 100, each once, with values and memberships`, async () => {
    expect(await ldapsearch(slapd, slapd.peopleDn, `(uid=${prefix}*)`, ['1.1'])).toHaveLength(total);
    const seen = new Map<string, ObjectState>();
    const sizes: number[] = [];
    const outcome = await c.export(
      { entityType: 'LdapAccount', mode: 'complete', cookie: null, pageSize: 100 },
      async (page) => {
        sizes.push(page.objects.length);
        for (const o of page.objects) {
          expect(seen.has(o.key), `exported twice: ${o.key}`).toBe(false);
          seen.set(o.key, o);
        }
      },
    );
    expect(outcome.mode).toBe('complete');
    expect(outcome.cookie).not.toBeNull();
    expect(sizes.length).toBeGreaterThanOrEqual(total / 100);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    expect(seen.size).toBe(total);
    for (let i = 0; i < total; i += 1) {
      const dn = `uid=${prefix}${i},${slapd.peopleDn}`;
      const o = seen.get(dn);
      expect(o?.values.employeeNumber, dn).toBe(i);
      expect(o?.values.enabled, dn).toBe(false);
      expect(o?.links.groups, dn).toEqual(staffMembers.has(dn) ? [slapd.groups.staff] : []);
    }
  });

  it('hands out a page only after the previous one was consumed', async () => {
    let consuming = false;
    let pages = 0;
    await c.export({ entityType: 'LdapAccount', mode: 'complete', cookie: null, pageSize: 300 }, async () => {
      expect(consuming).toBe(false);
      consuming = true;
      pages += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      consuming = false;
    });
    expect(pages).toBe(Math.ceil(total / 300));
  });

  it('lets a failure of the page consumer through unchanged', async () => {
    const failure = new Error('consumer gave up');
    await expect(
      c.export({ entityType: 'LdapAccount', mode: 'complete', cookie: null, pageSize: 100 }, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    // The connection is still usable afterwards.
    await expect(c.testConnection()).resolves.toBeUndefined();
  });
});
