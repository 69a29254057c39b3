import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../src/connector.ts';
import { ConnectorError } from '../../src/connector-error.ts';
import { type Slapd, startSlapd } from '../support/slapd.ts';
import { ldapConnector } from './ldap-test-model.ts';
import { ldapsearch } from './ldapsearch.ts';

let counter = 0;
const unique = (label: string) => `${label}${++counter}x${Date.now().toString(36)}`;

describe('LDAP connector when the server fails', () => {
  let slapd: Slapd;
  let c: Connector;
  beforeAll(async () => {
    slapd = await startSlapd();
    c = ldapConnector(slapd, { timeoutMs: 400, connectTimeoutMs: 400 });
  });
  afterAll(async () => {
    await c?.close();
    await slapd?.destroy();
  });

  const create = (uid: string) =>
    c.fulfil({ kind: 'create', entityType: 'LdapAccount', key: uid, values: { uid, cn: uid, sn: 'x' }, links: {} });
  const setTitle = (key: string, title: string) =>
    c.fulfil({ kind: 'update', entityType: 'LdapAccount', key, values: { title }, addLinks: {}, removeLinks: {} });

  it('is unreachable and retryable while slapd is stopped, and works again once it is back', async () => {
    const { key } = await create(unique('before'));
    await slapd.stop();
    try {
      const refused = await setTitle(key, 'while down').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ConnectorError);
      expect(refused).toMatchObject({ kind: 'unreachable', applied: 'no', retryable: true });
      await expect(c.testConnection()).rejects.toMatchObject({ kind: 'unreachable', retryable: true });
      await expect(
        c.export({ entityType: 'LdapAccount', mode: 'complete', cookie: null }, async () => {}),
      ).rejects.toMatchObject({ kind: 'unreachable' });
    } finally {
      await slapd.start();
    }
    // The same connector, not recreated: its pooled connections are replaced by fresh bound ones.
    expect((await setTitle(key, 'after restart')).changed).toBe(true);
    const [entry] = await ldapsearch(slapd, key, '(objectClass=*)', ['title'], 'base');
    expect(entry?.attributes.get('title')).toEqual(['after restart']);
  });

  it('reconnects after the server crashed under its open connections', async () => {
    const { key } = await create(unique('crash'));
    await slapd.kill();
    await slapd.start();
    expect((await setTitle(key, 'after crash')).changed).toBe(true);
    await expect(c.testConnection()).resolves.toBeUndefined();
  });

  it('reports a timed-out write as maybe applied, and a timed-out read before any write as not applied', async () => {
    const { key } = await create(unique('hung'));
    const uid = unique('hungcreate');
    await slapd.pause();
    let readFirst: unknown;
    let writeFirst: unknown;
    try {
      // A create sends its add at once on the open connection: it may be applied when the server wakes up.
      writeFirst = await create(uid).catch((e: unknown) => e);
      // An update reads the entry first (on a new connection, the timeout closed the last one):
      // that is what times out, nothing was sent to change.
      readFirst = await setTitle(key, 'sent to a hung server').catch((e: unknown) => e);
    } finally {
      slapd.resume();
    }
    expect(readFirst).toBeInstanceOf(ConnectorError);
    expect(readFirst).toMatchObject({ kind: 'timeout', applied: 'no', retryable: true });
    expect(writeFirst).toBeInstanceOf(ConnectorError);
    expect(writeFirst).toMatchObject({ kind: 'timeout', applied: 'maybe', retryable: true });
    // What the agent does after "maybe": read, then retry with ensure semantics.
    await c.read({ entityType: 'LdapAccount', key: `uid=${uid},${slapd.peopleDn}`, properties: ['uid'] });
    const retried = await create(uid);
    expect(retried.key).toBe(`uid=${uid},${slapd.peopleDn}`);
    expect(await ldapsearch(slapd, slapd.peopleDn, `(uid=${uid})`, ['1.1'])).toHaveLength(1);
    expect((await setTitle(key, 'after the hang')).changed).toBe(true);
  });
});

describe('LDAP connector with wrong credentials', () => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await startSlapd();
  });
  afterAll(async () => {
    await slapd?.destroy();
  });

  it('reports permission, not retryable, without the password', async () => {
    const password = `wrong-${unique('pw')}`;
    const c = ldapConnector(slapd, { bindPassword: password });
    try {
      const error = await c.testConnection().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectorError);
      expect(error).toMatchObject({ kind: 'permission', applied: 'no', retryable: false });
      expect((error as Error).message).toMatch(/invalidCredentials \(49\)/);
      expect((error as Error).message).not.toContain(password);
      expect(JSON.stringify(error)).not.toContain(password);
      await expect(
        c.fulfil({ kind: 'delete', entityType: 'LdapAccount', key: `uid=x,${slapd.peopleDn}` }),
      ).rejects.toMatchObject({ kind: 'permission', applied: 'no' });
    } finally {
      await c.close();
    }
  });

  it('reports an anonymous write (strongerAuthRequired) as a configuration error', async () => {
    const c = ldapConnector(slapd, { bindDn: null, bindPassword: null });
    try {
      await expect(c.testConnection()).resolves.toBeUndefined();
      const error = await c
        .fulfil({ kind: 'create', entityType: 'LdapAccount', key: 'anon', values: { cn: 'a', sn: 'b' }, links: {} })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'configuration', applied: 'no', retryable: false });
      expect((error as Error).message).toMatch(/strongerAuthRequired \(8\)/);
    } finally {
      await c.close();
    }
  });
});
