import { execFile } from 'node:child_process';
import type { ScalarValue } from '@ordo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, ObjectState } from '../../src/connector.ts';
import { ConnectorError } from '../../src/connector-error.ts';
import { escapeFilterValue } from '../../src/ldap/escape-filter-value.ts';
import { type Slapd, startSlapd } from '../support/slapd.ts';
import { ldapConnector } from './ldap-test-model.ts';
import { ldapmodify, ldapsearch } from './ldapsearch.ts';

let counter = 0;
const unique = (label: string) => `${label}${++counter}x${Date.now().toString(36)}`;

/** `ldapwhoami` as the given user: whether the server accepts the password. */
function canBind(slapd: Slapd, dn: string, password: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    execFile('ldapwhoami', ['-x', '-H', slapd.url, '-D', dn, '-w', password], (error) => {
      if (!error) resolve(true);
      else if (error.code === 49) resolve(false);
      else reject(error);
    });
  });
}

async function exportAll(connector: Connector, entityType: string): Promise<Map<string, ObjectState>> {
  const seen = new Map<string, ObjectState>();
  await connector.export({ entityType, mode: 'complete', cookie: null }, async (page) => {
    for (const o of page.objects) seen.set(o.key, o);
  });
  return seen;
}

describe('LDAP connector on OpenLDAP', () => {
  let slapd: Slapd;
  let c: Connector;
  beforeAll(async () => {
    slapd = await startSlapd();
    c = ldapConnector(slapd);
  });
  afterAll(async () => {
    await c?.close();
    await slapd?.destroy();
  });

  const accountValues = (uid: string, extra: Record<string, ScalarValue> = {}) => ({
    uid,
    cn: `Person ${uid}`,
    sn: 'Tester',
    ...extra,
  });
  const create = (key: string, values: Record<string, ScalarValue>, links: Record<string, string[]> = {}) =>
    c.fulfil({ kind: 'create', entityType: 'LdapAccount', key, values, links });
  const update = (
    key: string,
    values: Record<string, ScalarValue>,
    addLinks: Record<string, string[]> = {},
    removeLinks: Record<string, string[]> = {},
    entityType = 'LdapAccount',
  ) => c.fulfil({ kind: 'update', entityType, key, values, addLinks, removeLinks });
  const read = (key: string, properties: string[] = ['uid', 'cn', 'enabled', 'employeeNumber']) =>
    c.read({ entityType: 'LdapAccount', key, properties });
  const groupsHolding = async (attribute: string, value: string) =>
    (await ldapsearch(slapd, slapd.groupsDn, `(${attribute}=${escapeFilterValue(value)})`, ['1.1'])).map((e) => e.dn);

  it('builds DNs for names that need escaping, as the server writes them, and finds them again', async () => {
    const names = [
      `O'Brien, Jr+x${unique('')}`,
      `Émile ${unique('')}`,
      `star*(paren)\\back${unique('')}`,
      `#hash=semi;<less>"quote"${unique('')}`,
    ];
    for (const name of names) {
      const outcome = await create(name, accountValues(name), { groups: [slapd.groups.staff] });
      expect(outcome.changed).toBe(true);
      const [entry] = await ldapsearch(slapd, slapd.peopleDn, `(uid=${escapeFilterValue(name)})`, ['uid']);
      expect(outcome.key, name).toBe(entry?.dn);
      expect(entry?.attributes.get('uid')).toEqual([name]);
      const found = await read(outcome.key);
      expect(found?.values.uid).toBe(name);
      expect(found?.links.groups).toEqual([slapd.groups.staff]);
      expect(await groupsHolding('member', outcome.key)).toEqual([slapd.groups.staff]);
      expect((await create(name, accountValues(name), { groups: [slapd.groups.staff] })).changed).toBe(false);
    }
    const all = await exportAll(c, 'LdapAccount');
    for (const name of names) {
      const exported = [...all.values()].find((o) => o.values.uid === name);
      expect(exported?.links.groups, name).toEqual([slapd.groups.staff]);
      const { changed } = await c.fulfil({ kind: 'delete', entityType: 'LdapAccount', key: exported!.key });
      expect(changed).toBe(true);
      expect(await groupsHolding('member', exported!.key)).toEqual([]);
    }
  });

  it('accepts a DN key written with backslash escapes and answers with the server form', async () => {
    const u = unique('');
    const outcome = await create(`uid=O'Brien\\, Jr\\+x${u},${slapd.peopleDn}`, { cn: 'O', sn: 'B' });
    expect(outcome.key).toBe(`uid=O'Brien\\2C Jr\\2Bx${u},${slapd.peopleDn}`);
    const [entry] = await ldapsearch(slapd, outcome.key, '(objectClass=*)', ['uid'], 'base');
    expect(entry?.dn).toBe(outcome.key);
    expect(entry?.attributes.get('uid')).toEqual([`O'Brien, Jr+x${u}`]);
  });

  it('answers with the DN as the server spells it', async () => {
    const uid = unique('Casey');
    const outcome = await create(
      `UID=${uid},OU=People,DC=Example,DC=org`,
      { cn: 'C', sn: 'C' },
      { groups: [slapd.groups.staff] },
    );
    expect(outcome.key).toBe(`uid=${uid},${slapd.peopleDn}`);
    expect((await create(`UID=${uid},OU=People,DC=Example,DC=org`, { cn: 'C', sn: 'C' })).key).toBe(outcome.key);
    expect((await exportAll(c, 'LdapAccount')).get(outcome.key)?.links.groups).toEqual([slapd.groups.staff]);
  });

  it('stores posixGroup members as memberUid (the uid, not the DN), from both sides', async () => {
    const uid = unique('posix');
    const { key } = await create(uid, accountValues(uid), { posixGroups: [slapd.groups.developers] });
    expect(await groupsHolding('memberUid', uid)).toEqual([slapd.groups.developers]);
    expect(await groupsHolding('member', key)).toEqual([]);
    expect((await read(key))?.links.posixGroups).toEqual([slapd.groups.developers]);
    const groups = await exportAll(c, 'LdapPosixGroup');
    expect(groups.get(slapd.groups.developers)?.links.members).toContain(key);
    expect(groups.get(slapd.groups.developers)?.values.gidNumber).toBe(5000);
    expect((await exportAll(c, 'LdapAccount')).get(key)?.links.posixGroups).toEqual([slapd.groups.developers]);

    expect((await update(key, {}, {}, { posixGroups: [slapd.groups.developers] })).changed).toBe(true);
    expect((await update(key, {}, {}, { posixGroups: [slapd.groups.developers] })).changed).toBe(false);
    expect(await groupsHolding('memberUid', uid)).toEqual([]);
    // memberUid is optional: no placeholder is left behind.
    const [developers] = await ldapsearch(slapd, slapd.groups.developers, '(objectClass=*)', ['memberUid'], 'base');
    expect(developers?.attributes.get('memberuid') ?? []).not.toContain(slapd.groups.developers);

    const addFromGroup = await update(slapd.groups.developers, {}, { members: [key] }, {}, 'LdapPosixGroup');
    expect(addFromGroup.changed).toBe(true);
    expect(await groupsHolding('memberUid', uid)).toEqual([slapd.groups.developers]);
    const group = await c.read({
      entityType: 'LdapPosixGroup',
      key: slapd.groups.developers,
      properties: ['gidNumber'],
    });
    expect(group?.links.members).toContain(key);

    // Deleting the account takes its uid out of the groups (no referential integrity on memberUid).
    expect((await c.fulfil({ kind: 'delete', entityType: 'LdapAccount', key })).changed).toBe(true);
    expect(await groupsHolding('memberUid', uid)).toEqual([]);
    expect((await c.fulfil({ kind: 'delete', entityType: 'LdapAccount', key })).changed).toBe(false);
  });

  it('stores groupOfUniqueNames members as uniqueMember and keeps an emptied group valid', async () => {
    const uid = unique('unique');
    const { key } = await create(uid, accountValues(uid));
    const groupDn = `cn=${unique('uniq')},${slapd.groupsDn}`;
    const group = await c.fulfil({
      kind: 'create',
      entityType: 'LdapUniqueGroup',
      key: groupDn,
      values: { cn: groupDn.slice(3, groupDn.indexOf(',')) },
      links: { members: [key] },
    });
    expect(group.changed).toBe(true);
    const [created] = await ldapsearch(slapd, groupDn, '(objectClass=*)', ['uniqueMember'], 'base');
    expect(created?.attributes.get('uniquemember')).toEqual([key]);
    expect((await read(key))?.links.auditGroups).toEqual([groupDn]);

    // The last member goes: groupOfUniqueNames requires one, so the placeholder (the group itself) takes its place.
    expect((await update(key, {}, {}, { auditGroups: [groupDn] })).changed).toBe(true);
    const [emptied] = await ldapsearch(slapd, groupDn, '(objectClass=*)', ['uniqueMember'], 'base');
    expect(emptied?.attributes.get('uniquemember')).toEqual([groupDn]);
    expect((await update(key, {}, {}, { auditGroups: [groupDn] })).changed).toBe(false);
    const asGroup = await c.read({ entityType: 'LdapUniqueGroup', key: groupDn, properties: ['cn'] });
    expect(asGroup?.links.members).toEqual([]);
    expect((await read(key))?.links.auditGroups).toEqual([]);

    expect((await update(key, {}, { auditGroups: [slapd.groups.auditors] })).changed).toBe(true);
    expect(await groupsHolding('uniqueMember', key)).toEqual([slapd.groups.auditors]);
  });

  it('creates an empty groupOfNames with the placeholder and lets its last member go', async () => {
    const name = unique('empty');
    const groupDn = `cn=${name},${slapd.groupsDn}`;
    const created = await c.fulfil({
      kind: 'create',
      entityType: 'LdapGroup',
      key: groupDn,
      values: { cn: name, description: 'made by a test' },
      links: {},
    });
    expect(created).toEqual({ changed: true, key: groupDn });
    const [group] = await ldapsearch(slapd, groupDn, '(objectClass=*)', ['member', 'description'], 'base');
    expect(group?.attributes.get('member')).toEqual([groupDn]);
    expect(group?.attributes.get('description')).toEqual(['made by a test']);

    const uid = unique('lonely');
    const { key } = await create(uid, accountValues(uid), { groups: [groupDn] });
    expect((await update(key, {}, {}, { groups: [groupDn] })).changed).toBe(true);
    expect(
      (await ldapsearch(slapd, groupDn, '(objectClass=*)', ['member'], 'base'))[0]?.attributes.get('member'),
    ).toEqual([groupDn]);
    expect((await read(key))?.links.groups).toEqual([]);
    // The placeholder is never reported as a member of anything.
    expect((await exportAll(c, 'LdapAccount')).has(groupDn)).toBe(false);
  });

  it('uses a configured placeholder, or none, for groups without members', async () => {
    const nobody = `cn=nobody,${slapd.baseDn}`;
    const withNobody = ldapConnector(slapd, { 'LdapGroup.emptyMember': nobody });
    const without = ldapConnector(slapd, { 'LdapGroup.emptyMember': 'none' });
    try {
      const name = unique('nobody');
      const groupDn = `cn=${name},${slapd.groupsDn}`;
      await withNobody.fulfil({
        kind: 'create',
        entityType: 'LdapGroup',
        key: groupDn,
        values: { cn: name },
        links: {},
      });
      const [group] = await ldapsearch(slapd, groupDn, '(objectClass=*)', ['member'], 'base');
      expect(group?.attributes.get('member')).toEqual([nobody]);

      const bare = unique('bare');
      const refused = await without
        .fulfil({
          kind: 'create',
          entityType: 'LdapGroup',
          key: `cn=${bare},${slapd.groupsDn}`,
          values: { cn: bare },
          links: {},
        })
        .catch((e: unknown) => e);
      expect(refused).toMatchObject({ kind: 'schema', applied: 'no', retryable: false });
      expect((refused as Error).message).toContain('objectClassViolation (65)');
    } finally {
      await withNobody.close();
      await without.close();
    }
  });

  it('renames on a new RDN value and moves on a new DN, carrying group memberships along', async () => {
    const uid = unique('rename');
    const { key } = await create(uid, accountValues(uid), {
      groups: [slapd.groups.staff],
      posixGroups: [slapd.groups.developers],
    });
    const renamed = await update(key, { uid: `${uid}-new`, title: 'Renamed' });
    expect(renamed).toEqual({ changed: true, key: `uid=${uid}-new,${slapd.peopleDn}` });
    expect(await ldapsearch(slapd, key, '(objectClass=*)', ['1.1'], 'base')).toEqual([]);
    const [entry] = await ldapsearch(slapd, renamed.key, '(objectClass=*)', ['uid', 'title'], 'base');
    expect(entry?.attributes.get('uid')).toEqual([`${uid}-new`]);
    expect(entry?.attributes.get('title')).toEqual(['Renamed']);
    expect(await groupsHolding('member', renamed.key)).toEqual([slapd.groups.staff]);
    expect(await groupsHolding('member', key)).toEqual([]);
    expect(await groupsHolding('memberUid', `${uid}-new`)).toEqual([slapd.groups.developers]);
    expect(await groupsHolding('memberUid', uid)).toEqual([]);
    // The same update again (say after a timeout): the entry already has its new name.
    expect(await update(key, { uid: `${uid}-new`, title: 'Renamed' })).toEqual({ changed: false, key: renamed.key });

    // A change of case only: the server sees the same member value, which must stay.
    const recased = await update(renamed.key, { uid: `${uid.toUpperCase()}-new` });
    expect(recased).toEqual({ changed: true, key: `uid=${uid.toUpperCase()}-new,${slapd.peopleDn}` });
    expect((await read(recased.key))?.links.groups).toEqual([slapd.groups.staff]);
    expect(await groupsHolding('member', recased.key)).toEqual([slapd.groups.staff]);
    expect(await update(recased.key, { uid: `${uid}-new` })).toEqual({ changed: true, key: renamed.key });

    const movers = `ou=${unique('movers')},${slapd.peopleDn}`;
    await ldapmodify(
      slapd,
      `dn: ${movers}\nobjectClass: organizationalUnit\nou: ${movers.slice(3, movers.indexOf(','))}\n`,
    );
    const target = `uid=${uid}-new,${movers}`;
    const moved = await update(renamed.key, { dn: target });
    expect(moved).toEqual({ changed: true, key: target });
    expect((await read(target))?.links.groups).toEqual([slapd.groups.staff]);
    expect(await groupsHolding('member', target)).toEqual([slapd.groups.staff]);
    expect(await read(renamed.key)).toBeNull();
  });

  it('maps a bool property to an enabled/disabled attribute value', async () => {
    const uid = unique('enabled');
    const { key } = await create(uid, accountValues(uid, { enabled: true }));
    const employeeType = async () =>
      (await ldapsearch(slapd, key, '(objectClass=*)', ['employeeType'], 'base'))[0]?.attributes.get('employeetype');
    expect(await employeeType()).toEqual(['active']);
    expect((await read(key))?.values.enabled).toBe(true);
    expect((await update(key, { enabled: false })).changed).toBe(true);
    expect((await update(key, { enabled: false })).changed).toBe(false);
    expect(await employeeType()).toEqual(['disabled']);
    expect((await read(key))?.values.enabled).toBe(false);
    expect((await update(key, { enabled: true })).changed).toBe(true);
    expect((await read(key))?.values.enabled).toBe(true);
  });

  it('sets a password the user can bind with, never reads it back, and changes it idempotently', async () => {
    const uid = unique('pw');
    const first = `S3cret-${uid}`;
    const { key } = await create(uid, accountValues(uid, { password: first }));
    expect(await canBind(slapd, key, first)).toBe(true);
    const found = await c.read({ entityType: 'LdapAccount', key, properties: ['uid', 'password'] });
    expect(found?.values).toEqual({ uid });
    expect((await create(uid, accountValues(uid, { password: first }))).changed).toBe(false);

    const second = `N3w-${uid}`;
    expect((await update(key, { password: second })).changed).toBe(true);
    expect((await update(key, { password: second })).changed).toBe(false);
    expect(await canBind(slapd, key, second)).toBe(true);
    expect(await canBind(slapd, key, first)).toBe(false);

    const error = await update(`uid=missing-${uid},${slapd.peopleDn}`, { password: second }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'not_found' });
    expect(JSON.stringify(error)).not.toContain(second);
    expect(String(error)).not.toContain(second);
  });

  it('converts int properties, adds and removes reference links, and classifies malformed values', async () => {
    const boss = unique('boss');
    const worker = unique('worker');
    const bossKey = (await create(boss, accountValues(boss))).key;
    const { key } = await create(worker, accountValues(worker, { employeeNumber: 42 }), { manager: [bossKey] });
    const found = await c.read({ entityType: 'LdapAccount', key, properties: ['employeeNumber'] });
    expect(found?.values.employeeNumber).toBe(42);
    expect(found?.links.manager).toEqual([bossKey]);
    expect((await update(key, {}, { manager: [bossKey] })).changed).toBe(false);
    expect((await update(key, {}, {}, { manager: [bossKey] })).changed).toBe(true);
    expect((await read(key))?.links.manager).toEqual([]);

    await ldapmodify(slapd, `dn: ${key}\nchangetype: modify\nreplace: employeeNumber\nemployeeNumber: forty-two\n`);
    const error = await read(key).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'schema', retryable: false });
    expect((error as Error).message).toContain('forty-two');
    // One malformed entry fails every export of the type: put it right for the other tests.
    await ldapmodify(slapd, `dn: ${key}\nchangetype: modify\nreplace: employeeNumber\nemployeeNumber: 42\n`);
  });

  it('reports schema and not_found answers of the server with the DN', async () => {
    const uid = unique('schema');
    const missingContainer = await create(`uid=${uid},ou=nowhere,${slapd.baseDn}`, accountValues(uid)).catch(
      (e: unknown) => e,
    );
    expect(missingContainer).toMatchObject({ kind: 'not_found', applied: 'no' });
    expect((missingContainer as Error).message).toContain(`uid=${uid},ou=nowhere`);

    const { key } = await create(uid, accountValues(uid));
    const notAGroup = await update(key, {}, { groups: [`cn=nosuchgroup,${slapd.groupsDn}`] }).catch((e: unknown) => e);
    expect(notAGroup).toMatchObject({ kind: 'not_found', applied: 'no' });

    const badKey = await read('not a dn').catch((e: unknown) => e);
    expect(badKey).toMatchObject({ kind: 'schema' });
  });

  it('exports incrementally: changed entries, and members of groups changed since the cookie', async () => {
    const stay = unique('stay');
    const join = unique('join');
    await create(stay, accountValues(stay));
    const joinKey = (await create(join, accountValues(join))).key;
    const first = await c.export({ entityType: 'LdapAccount', mode: 'incremental', cookie: null }, async () => {});
    expect(first.mode).toBe('complete');
    // Someone else adds the account to a group: the account entry itself does not change.
    await ldapmodify(slapd, `dn: ${slapd.groups.admins}\nchangetype: modify\nadd: member\nmember: ${joinKey}\n`);
    const later = unique('later');
    const laterKey = (await create(later, accountValues(later))).key;
    const seen = new Map<string, ObjectState>();
    const second = await c.export(
      { entityType: 'LdapAccount', mode: 'incremental', cookie: first.cookie },
      async (page) => {
        expect(page.deletedKeys).toBeUndefined();
        for (const o of page.objects) seen.set(o.key, o);
      },
    );
    expect(second.mode).toBe('incremental');
    expect(second.cookie! > first.cookie!).toBe(true);
    expect([...seen.keys()].sort()).toEqual([joinKey, laterKey].sort());
    expect(seen.get(joinKey)?.links.groups).toEqual([slapd.groups.admins]);
    const third = await c.export(
      { entityType: 'LdapAccount', mode: 'incremental', cookie: second.cookie },
      async (page) => {
        expect(page.objects).toEqual([]);
      },
    );
    expect(third.cookie).toBe(second.cookie);
  });

  it('runs many operations at once on a few connections', async () => {
    const names = Array.from({ length: 40 }, () => unique('burst'));
    const outcomes = await Promise.all(
      names.map((n) => create(n, accountValues(n), { groups: [slapd.groups.admins] })),
    );
    expect(outcomes.every((o) => o.changed)).toBe(true);
    const members = await ldapsearch(slapd, slapd.groups.admins, '(objectClass=*)', ['member'], 'base');
    for (const o of outcomes) expect(members[0]?.attributes.get('member')).toContain(o.key);
    const reads = await Promise.all(outcomes.map((o) => read(o.key)));
    expect(reads.map((r) => r?.values.uid)).toEqual(names);
  });
});

describe('LDAP incremental export without contextCSN', () => {
  let slapd: Slapd;
  let c: Connector;
  beforeAll(async () => {
    slapd = await startSlapd({ syncprov: false });
    c = ldapConnector(slapd);
  });
  afterAll(async () => {
    await c?.close();
    await slapd?.destroy();
  });

  it('uses the newest entryCSN seen, so nothing is sent twice and nothing new is missed', async () => {
    const create = (uid: string) =>
      c.fulfil({ kind: 'create', entityType: 'LdapAccount', key: uid, values: { uid, cn: uid, sn: 'x' }, links: {} });
    const before = await create(unique('before'));
    const first = await c.export({ entityType: 'LdapAccount', mode: 'complete', cookie: null }, async () => {});
    expect(first.cookie).toMatch(/^\d{14}\.\d{6}Z#/);
    const [entry] = await ldapsearch(slapd, before.key, '(objectClass=*)', ['entryCSN'], 'base');
    expect(first.cookie).toBe(entry?.attributes.get('entrycsn')?.[0]);
    const after = await create(unique('after'));
    const keys: string[] = [];
    await c.export({ entityType: 'LdapAccount', mode: 'incremental', cookie: first.cookie }, async (page) => {
      keys.push(...page.objects.map((o) => o.key));
    });
    expect(keys).toEqual([after.key]);
  });
});
