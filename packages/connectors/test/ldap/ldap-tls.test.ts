import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../src/connector.ts';
import { ConnectorError } from '../../src/connector-error.ts';
import { type Slapd, startSlapd } from '../support/slapd.ts';
import { ldapConnector } from './ldap-test-model.ts';
import { ldapsearch } from './ldapsearch.ts';

let counter = 0;
const unique = (label: string) => `${label}${++counter}x${Date.now().toString(36)}`;

describe('LDAP connector over TLS with a self-signed CA', () => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await startSlapd({ tls: true });
  });
  afterAll(async () => {
    await slapd?.destroy();
  });

  async function roundTrip(c: Connector): Promise<void> {
    try {
      await c.testConnection();
      const uid = unique('tls');
      const { key } = await c.fulfil({
        kind: 'create',
        entityType: 'LdapAccount',
        key: uid,
        values: { uid, cn: uid, sn: 'x' },
        links: { groups: [slapd.groups.staff] },
      });
      expect((await c.read({ entityType: 'LdapAccount', key, properties: ['uid'] }))?.values.uid).toBe(uid);
      expect(await ldapsearch(slapd, key, '(objectClass=*)', ['1.1'], 'base')).toHaveLength(1);
    } finally {
      await c.close();
    }
  }

  it('works over ldaps:// trusting the CA file', async () => {
    await roundTrip(ldapConnector(slapd, { url: slapd.ldapsUrl, tlsCaFile: slapd.caFile }));
  });

  it('works with StartTLS on ldap:// trusting the CA file', async () => {
    await roundTrip(ldapConnector(slapd, { startTls: true, tlsCaFile: slapd.caFile }));
  });

  it('refuses an untrusted certificate as a configuration error, before sending anything', async () => {
    for (const settings of [{ url: slapd.ldapsUrl }, { startTls: true }] as Record<string, string | boolean | null>[]) {
      const c = ldapConnector(slapd, settings);
      try {
        const error = await c.testConnection().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConnectorError);
        expect(error).toMatchObject({ kind: 'configuration', applied: 'no', retryable: false });
        expect((error as Error).message).toMatch(/TLS failed/);
      } finally {
        await c.close();
      }
    }
  });

  it('accepts any certificate when told not to verify', async () => {
    await roundTrip(ldapConnector(slapd, { url: slapd.ldapsUrl, tlsRejectUnauthorized: false }));
  });
});
