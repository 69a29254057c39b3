import { inspect } from 'node:util';
import type { ScalarValue } from '@ordo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, ObjectState, UpdateOperation } from '../../src/connector.ts';
import { ConnectorError } from '../../src/connector-error.ts';
import { createSqlConnector, openSqlConnector } from '../../src/sql/sql-connector.ts';
import { describeConnectorContract, type IndependentAccount } from '../contract/connector-contract.ts';
import {
  closedPort,
  entityTypes,
  type RawRow,
  type SqlBackend,
  type SqlFixture,
  seededGroups,
  shouldRun,
  sqlBackends,
  uniqueSuffix,
} from './sql-backends.ts';

const accountValues = (name: string): Record<string, ScalarValue> => ({
  login: name,
  mail: `${name}@example.org`,
  title: 'Engineer',
  enabled: true,
  loginCount: 3,
  hiredOn: '2024-05-01',
  lastLogin: '2024-05-01T08:30:00.250Z',
});

const connect = (fixture: SqlFixture, settings: Record<string, string | number | boolean | null> = {}) =>
  createSqlConnector({
    connectionId: `Sql-${fixture.backend}`,
    settings: { ...fixture.settings, ...settings },
    entityTypes,
  });

async function independentRead(fixture: SqlFixture, key: string): Promise<IndependentAccount | null> {
  const [row] = await fixture.query(
    `select login, email, title, enabled, login_count, hired_on, last_login from ${fixture.tables.users} where login = ?`,
    [key],
  );
  if (!row) return null;
  const groups = await fixture.query(
    `select group_name from ${fixture.tables.userGroups} where user_login = ? order by group_name`,
    [key],
  );
  return {
    values: {
      login: row.login as ScalarValue,
      mail: row.email as ScalarValue,
      title: row.title as ScalarValue,
      enabled: row.enabled as ScalarValue,
      loginCount: row.login_count as ScalarValue,
      hiredOn: row.hired_on as ScalarValue,
      lastLogin: row.last_login as ScalarValue,
    },
    groups: groups.map((g) => String(g.group_name)),
  };
}

async function countAccounts(fixture: SqlFixture, prefix: string): Promise<number> {
  const [row] = await fixture.query(`select count(*) as n from ${fixture.tables.users} where substr(login, 1, ?) = ?`, [
    prefix.length,
    prefix,
  ]);
  return Number(row?.n);
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

function update(key: string, values: Record<string, ScalarValue>, add: string[] = [], remove: string[] = []) {
  return {
    kind: 'update',
    entityType: 'Account',
    key,
    values,
    addLinks: { groups: add },
    removeLinks: { groups: remove },
  } satisfies UpdateOperation;
}

let counter = 0;
const unique = (label: string) => `${label}${++counter}x${uniqueSuffix()}`;

const reachable = new Map<string, boolean>();
for (const backend of sqlBackends) reachable.set(backend.name, await shouldRun(backend));
const backendNamed = (name: string): SqlBackend => {
  const backend = sqlBackends.find((b) => b.name === name);
  if (!backend) throw new Error(`no backend ${name}`);
  return backend;
};

for (const backend of sqlBackends) {
  if (!reachable.get(backend.name)) {
    describe.skip(`SQL connector on ${backend.name} (server not reachable)`, () => {
      it('needs the server', () => {});
    });
    continue;
  }

  describeConnectorContract(`sql on ${backend.name}`, async () => {
    const fixture = await backend.createFixture();
    const connector = connect(fixture);
    return {
      connector,
      accountType: 'Account',
      groupType: 'Group',
      membership: 'groups',
      groups: [seededGroups[0], seededGroups[1]],
      newAccount: (name) => ({ key: name, values: accountValues(name) }),
      changeable: { property: 'mail', value: (name) => `changed.${name}@example.org` },
      clearable: 'title',
      independentRead: (key) => independentRead(fixture, key),
      independentCount: (prefix) => countAccounts(fixture, prefix),
      // SQLite's strftime('%f') counts milliseconds: two writes in one millisecond would tie.
      incrementalGranularityMs: 5,
      close: async () => {
        await connector.close();
        await fixture.close();
      },
    };
  });

  describeSqlSpecifics(backend);
}

function describeSqlSpecifics(backend: SqlBackend): void {
  describe(`SQL connector on ${backend.name}`, () => {
    let fixture: SqlFixture;
    let c: Connector;
    const opened: Connector[] = [];
    const open = (settings: Record<string, string | number | boolean | null> = {}) => {
      const connector = connect(fixture, settings);
      opened.push(connector);
      return connector;
    };
    const create = (key: string, values: Record<string, ScalarValue>, groups: string[] = []) =>
      c.fulfil({ kind: 'create', entityType: 'Account', key, values, links: { groups } });
    const read = (key: string) => c.read({ entityType: 'Account', key, properties: Object.keys(accountValues('x')) });

    beforeAll(async () => {
      fixture = await backend.createFixture();
      c = open();
    });
    afterAll(async () => {
      for (const connector of opened) await connector.close();
      await fixture?.close();
    });

    it('round-trips a hostile key and values, and the tables survive', async () => {
      const key = `o'hara"; DROP TABLE ${fixture.tables.users}; --ü🙂${uniqueSuffix()}`;
      const values = {
        ...accountValues(key),
        mail: `'; DROP TABLE ${fixture.tables.groups}; --@example.org`,
        title: `"quoted" \\back\\slash\\ 'single' ünïcødé 🙂 中文 %_`,
      };
      const hostileGroup = seededGroups[2];
      expect((await create(key, values, [hostileGroup])).changed).toBe(true);
      expect((await create(key, values, [hostileGroup])).changed).toBe(false);
      const found = await read(key);
      expect(found?.key).toBe(key);
      expect(found?.values).toEqual(values);
      expect(found?.links.groups).toEqual([hostileGroup]);
      const independent = await independentRead(fixture, key);
      expect(independent?.values.mail).toBe(values.mail);
      expect(independent?.values.title).toBe(values.title);
      expect(independent?.groups).toEqual([hostileGroup]);
      expect(await countAccounts(fixture, "o'hara")).toBeGreaterThan(0);
      expect(await fixture.query(`select name from ${fixture.tables.groups} where name = ?`, ['staff'])).toHaveLength(
        1,
      );
      expect((await c.fulfil({ kind: 'delete', entityType: 'Account', key })).changed).toBe(true);
      expect(await independentRead(fixture, key)).toBeNull();
    });

    it('round-trips bool, int and date values both ways, and compares them by value', async () => {
      const key = unique('types');
      const first = { ...accountValues(key), enabled: false, loginCount: 0, hiredOn: '1999-12-31' };
      await create(key, first);
      let found = await read(key);
      expect(found?.values).toEqual(first);
      expect(typeof found?.values.enabled).toBe('boolean');
      expect(typeof found?.values.loginCount).toBe('number');

      const second = { enabled: true, loginCount: -2147483648, lastLogin: '2024-02-29T23:59:59.999Z' };
      expect((await c.fulfil(update(key, second))).changed).toBe(true);
      found = await read(key);
      expect(found?.values).toEqual({ ...first, ...second });
      const raw = await independentRead(fixture, key);
      // As the engine stores them: a boolean in PostgreSQL, 1 in MariaDB's tinyint and SQLite.
      expect(raw?.values.enabled).toBe(backend.name === 'postgres' ? true : 1);
      expect(raw?.values.loginCount).toBe(-2147483648);

      // The same values spelled otherwise change nothing.
      const same = { enabled: 'true', loginCount: '-2147483648', lastLogin: '2024-03-01T00:59:59.999+01:00' };
      expect((await c.fulfil(update(key, same))).changed).toBe(false);

      expect((await c.fulfil(update(key, { enabled: null, loginCount: null, lastLogin: null }))).changed).toBe(true);
      found = await read(key);
      expect(found?.values).toMatchObject({ enabled: null, loginCount: null, lastLogin: null });
    });

    it('refuses a value that does not fit its type before writing, as a schema error', async () => {
      const key = unique('badtype');
      const error = await failure(create(key, { ...accountValues(key), loginCount: 'many' }));
      expect(error).toMatchObject({ kind: 'schema', applied: 'no', retryable: false });
      expect(await independentRead(fixture, key)).toBeNull();
    });

    it('maps a missing table or column to schema, on every operation', async () => {
      const noTable = open({ 'Account.table': `${fixture.tables.users}_missing` });
      for (const attempt of [
        () => noTable.testConnection(),
        () => noTable.read({ entityType: 'Account', key: 'x', properties: ['mail'] }),
        () =>
          noTable.fulfil({ kind: 'create', entityType: 'Account', key: 'x', values: accountValues('x'), links: {} }),
        () => noTable.export({ entityType: 'Account', mode: 'complete', cookie: null }, async () => {}),
      ]) {
        expect(await failure(attempt())).toMatchObject({ kind: 'schema', retryable: false });
      }
      const noColumn = open({ 'Account.columns': 'mail=no_such_column' });
      expect(await failure(noColumn.testConnection())).toMatchObject({ kind: 'schema' });
      expect(
        await failure(
          noColumn.fulfil({ kind: 'create', entityType: 'Account', key: 'y', values: { mail: 'm' }, links: {} }),
        ),
      ).toMatchObject({ kind: 'schema', applied: 'no' });
    });

    it('maps a not-null violation to schema, and keeps the written values out of the error and its cause', async () => {
      const key = unique('notnull');
      const secret = `initial-Pa55-${uniqueSuffix()}`;
      const error = await failure(create(key, { ...accountValues(key), mail: null, title: secret }));
      expect(error).toMatchObject({ kind: 'schema', applied: 'no', retryable: false });
      expect(inspect(error, { depth: 10 })).not.toContain(secret);
      expect(await independentRead(fixture, key)).toBeNull();
    });

    it('maps a missing linked object to schema and rolls the whole create back', async () => {
      const key = unique('nogroup');
      const error = await failure(create(key, accountValues(key), ['no-such-group']));
      expect(error).toMatchObject({ kind: 'schema', retryable: false });
      expect(await independentRead(fixture, key)).toBeNull();
    });

    it('deletes the link rows that point at a deleted object from other entity types', async () => {
      const group = unique('group');
      await c.fulfil({ kind: 'create', entityType: 'Group', key: group, values: { description: 'temp' }, links: {} });
      const key = unique('linked');
      await create(key, accountValues(key), [group, seededGroups[0]]);
      expect((await c.fulfil({ kind: 'delete', entityType: 'Group', key: group })).changed).toBe(true);
      expect((await independentRead(fixture, key))?.groups).toEqual([seededGroups[0]]);
      expect(await c.read({ entityType: 'Group', key: group, properties: ['description'] })).toBeNull();
    });

    it('serves two concurrent creates of the same account as one change', async () => {
      const key = unique('race');
      const outcomes = await Promise.all([
        create(key, accountValues(key), [seededGroups[0]]),
        create(key, accountValues(key), [seededGroups[0]]),
        create(key, accountValues(key), [seededGroups[0]]),
      ]);
      expect(outcomes.filter((o) => o.changed)).toHaveLength(1);
      expect(await countAccounts(fixture, key)).toBe(1);
      expect((await independentRead(fixture, key))?.groups).toEqual([seededGroups[0]]);
    });

    it('exports incrementally by updated_at: an updated row comes back, an untouched one does not', async () => {
      const touched = unique('inctouched');
      const untouched = unique('incuntouched');
      await create(touched, accountValues(touched));
      await create(untouched, accountValues(untouched));
      const keysOf = async (cookie: string | null) => {
        const keys = new Set<string>();
        const outcome = await c.export({ entityType: 'Account', mode: 'incremental', cookie }, async (page) => {
          for (const o of page.objects) keys.add(o.key);
        });
        return { keys, outcome };
      };
      const baseline = await keysOf(null);
      expect(baseline.outcome.mode).toBe('complete');
      expect(baseline.keys.has(touched) && baseline.keys.has(untouched)).toBe(true);

      await new Promise((resolve) => setTimeout(resolve, 5));
      await c.fulfil(update(touched, { title: 'Director' }));
      const changes = await keysOf(baseline.outcome.cookie);
      expect(changes.outcome.mode).toBe('incremental');
      expect(changes.keys.has(touched)).toBe(true);
      expect(changes.keys.has(untouched)).toBe(false);
      expect(changes.outcome.cookie).not.toBe(baseline.outcome.cookie);

      const quiet = await keysOf(changes.outcome.cookie);
      expect(quiet.outcome.mode).toBe('incremental');
      expect(quiet.keys.has(touched)).toBe(false);

      const garbled = await keysOf('not a cookie');
      expect(garbled.outcome.mode).toBe('complete');
      expect(garbled.keys.has(untouched)).toBe(true);
    });

    it('without an incremental column, exports completely and offers no cookie', async () => {
      const plain = open({ 'Account.incrementalColumn': null });
      expect(plain.capabilities.incrementalExport).toBe(false);
      const outcome = await plain.export({ entityType: 'Account', mode: 'incremental', cookie: null }, async () => {});
      expect(outcome).toEqual({ mode: 'complete', cookie: null });
    });

    it('loads the links of a page with one query per navigation, not one per row', async () => {
      const queries: string[] = [];
      const traced = openSqlConnector(
        { connectionId: 'Traced', settings: fixture.settings, entityTypes },
        { onQuery: (text) => queries.push(text) },
      );
      opened.push(traced);
      for (let i = 0; i < 5; i += 1) {
        const key = unique('paged');
        await create(key, accountValues(key), [seededGroups[1]]);
      }
      const pages: ObjectState[][] = [];
      await traced.export({ entityType: 'Account', mode: 'complete', cookie: null, pageSize: 3 }, async (page) => {
        pages.push([...page.objects]);
      });
      const linkTable = fixture.tables.userGroups.split('.').pop() ?? '';
      const linkQueries = queries.filter((q) => q.includes(linkTable));
      expect(pages.length).toBeGreaterThan(1);
      expect(linkQueries).toHaveLength(pages.filter((p) => p.length > 0).length);
      const keys = pages.flat().map((o) => o.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.length).toBe(await countAccounts(fixture, ''));
    });

    it('refuses links through a navigation without a link table, and entity types it does not serve', async () => {
      const noLinks = open({
        'Account.groups.linkTable': null,
        'Account.groups.sourceColumn': null,
        'Account.groups.targetColumn': null,
      });
      const key = unique('nolink');
      const error = await failure(
        noLinks.fulfil({ kind: 'create', entityType: 'Account', key, values: {}, links: { groups: ['staff'] } }),
      );
      expect(error).toMatchObject({ kind: 'configuration', applied: 'no' });
      expect(error.message).toContain('Account.groups.linkTable');
      expect(await failure(c.read({ entityType: 'Person', key: 'x', properties: [] }))).toMatchObject({
        kind: 'configuration',
      });
    });

    it('reports a server or file that cannot be reached as unreachable, retryable, not applied', async () => {
      const password = `S3cret-${uniqueSuffix()}`;
      const port = await closedPort();
      const settings: Record<string, string> =
        backend.name === 'sqlite'
          ? { path: `${fixture.settings.path}.missing/none.db` }
          : {
              url: String(fixture.settings.url).replace(/:\d+\//, `:${port}/`),
              password,
            };
      const down = open(settings);
      for (const attempt of [
        () => down.testConnection(),
        () => down.read({ entityType: 'Account', key: 'x', properties: ['mail'] }),
        () => down.fulfil({ kind: 'create', entityType: 'Account', key: 'x', values: accountValues('x'), links: {} }),
      ]) {
        const error = await failure(attempt());
        expect(error).toMatchObject({ kind: 'unreachable', retryable: true, applied: 'no' });
        expect(error.message).not.toContain(password);
        expect(JSON.stringify(error)).not.toContain(password);
      }
    });
  });
}

describe('SQL connector on PostgreSQL: failures of a live server', () => {
  const live = liveServer('postgres');
  const run = live.run;

  it.skipIf(!run)('maps a lock timeout to throttled, retryable, not applied', async () => {
    const c = live.open({ url: 'postgres://postgres@127.0.0.1:5432/postgres?options=-c%20lock_timeout%3D300' });
    const key = unique('locked');
    await c.fulfil({ kind: 'create', entityType: 'Account', key, values: accountValues(key), links: {} });
    const locker = await lockRow(live.fixture, key);
    try {
      const error = await failure(c.fulfil(update(key, { title: 'blocked' })));
      expect(error).toMatchObject({ kind: 'throttled', retryable: true, applied: 'no' });
    } finally {
      await locker.release();
    }
  });

  it.skipIf(!run)('maps a connection killed during a write to unreachable, maybe applied', async () => {
    const c = live.open({});
    const key = unique('killed');
    await c.fulfil({ kind: 'create', entityType: 'Account', key, values: accountValues(key), links: {} });
    const locker = await lockRow(live.fixture, key);
    try {
      const pending = failure(c.fulfil(update(key, { title: 'cut off' })));
      const pid = await waitFor(async () => {
        const [row] = await live.fixture.query(
          `select pid from pg_stat_activity where wait_event_type = 'Lock' and query like ?`,
          [`%${live.fixture.tables.users.split('.')[0]}%`],
        );
        return row?.pid;
      });
      await live.fixture.query('select pg_terminate_backend(?)', [pid]);
      expect(await pending).toMatchObject({ kind: 'unreachable', retryable: true, applied: 'maybe' });
    } finally {
      await locker.release();
    }
    // The pool replaces the dead connection.
    expect((await c.fulfil(update(key, { title: 'again' }))).changed).toBe(true);
  });

  it.skipIf(!run)('maps a missing privilege to permission', async () => {
    const role = `ordo_ro_${uniqueSuffix()}`;
    await live.fixture.query(`create role ${role} login`);
    try {
      const c = live.open({ url: `postgres://${role}@127.0.0.1:5432/postgres`, password: 'not-needed-with-trust' });
      const error = await failure(c.read({ entityType: 'Account', key: 'x', properties: ['mail'] }));
      expect(error).toMatchObject({ kind: 'permission', retryable: false });
      await c.close();
    } finally {
      await live.fixture.query(`drop role ${role}`);
    }
  });
});

describe('SQL connector on MariaDB: failures of a live server', () => {
  const live = liveServer('mariadb');
  const run = live.run;

  it.skipIf(!run)('maps a wrong password to permission, without echoing it', async () => {
    const password = `Wr0ng-${uniqueSuffix()}`;
    const error = await failure(live.open({ password }).testConnection());
    expect(error).toMatchObject({ kind: 'permission', retryable: false, applied: 'no' });
    expect(error.message).not.toContain(password);
  });

  it.skipIf(!run)('maps a connection killed during a write to unreachable, maybe applied', async () => {
    const c = live.open({});
    const key = unique('killed');
    await c.fulfil({ kind: 'create', entityType: 'Account', key, values: accountValues(key), links: {} });
    const locker = await lockRow(live.fixture, key);
    try {
      const pending = failure(c.fulfil(update(key, { title: 'cut off' })));
      const id = await waitFor(async () => {
        const [row] = await live.fixture.query(
          `select id from information_schema.processlist where info like ? and info like '%for update%' and id <> connection_id()`,
          [`%${live.fixture.tables.users}%`],
        );
        return row?.id;
      }, locker.id);
      await live.fixture.query(`kill ${Number(id)}`);
      expect(await pending).toMatchObject({ kind: 'unreachable', retryable: true, applied: 'maybe' });
    } finally {
      await locker.release();
    }
    expect((await c.fulfil(update(key, { title: 'again' }))).changed).toBe(true);
  });
});

/**
 * One backend's live server for the failure tests: its fixture, created once if the server is
 * reachable, and the connectors the tests open, all closed after the suite.
 */
function liveServer(name: string) {
  const backend = backendNamed(name);
  const run = reachable.get(name) === true;
  let fixture: SqlFixture | undefined;
  const opened: Connector[] = [];
  beforeAll(async () => {
    if (run) fixture = await backend.createFixture();
  });
  afterAll(async () => {
    for (const connector of opened) await connector.close();
    await fixture?.close();
  });
  return {
    run,
    get fixture(): SqlFixture {
      if (!fixture) throw new Error(`no live ${name} server`);
      return fixture;
    },
    open(settings: Record<string, string | number | boolean | null>): Connector {
      const connector = connect(this.fixture, settings);
      opened.push(connector);
      return connector;
    },
  };
}

/** Holds a row lock from a separate raw connection of the fixture's server, until released. */
async function lockRow(fixture: SqlFixture, key: string): Promise<{ id?: unknown; release(): Promise<void> }> {
  if (fixture.backend === 'postgres') {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: String(fixture.settings.url) });
    await client.connect();
    await client.query('begin');
    await client.query(`select login from ${fixture.tables.users} where login = $1 for update`, [key]);
    return {
      async release() {
        await client.query('rollback');
        await client.end();
      },
    };
  }
  const { default: mysql } = await import('mysql2/promise');
  const connection = await mysql.createConnection({ uri: String(fixture.settings.url) });
  await connection.query('begin');
  await connection.query(`select login from ${fixture.tables.users} where login = ? for update`, [key]);
  const [[row]] = (await connection.query('select connection_id() as id')) as unknown as [RawRow[]];
  return {
    id: row?.id,
    async release() {
      await connection.query('rollback');
      await connection.end();
    },
  };
}

/** Polls until `probe` returns a value other than undefined and `not` (the lock holder itself). */
async function waitFor(probe: () => Promise<unknown>, not?: unknown): Promise<unknown> {
  for (let i = 0; i < 200; i += 1) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== not) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the blocked query never showed up');
}

describe('SQL connector settings', () => {
  const valid = {
    dialect: 'postgres',
    url: 'postgres://postgres@127.0.0.1:5432/postgres',
    'Account.table': 'ordo.users',
    'Account.groups.linkTable': 'ordo.user_groups',
    'Account.groups.sourceColumn': 'user_login',
    'Account.groups.targetColumn': 'group_name',
    'Group.table': 'groups',
  };
  const refusal = (settings: Record<string, string | number | boolean | null>) => {
    try {
      createSqlConnector({ connectionId: 'Hr', settings: { ...valid, ...settings }, entityTypes });
    } catch (error) {
      expect(error).toBeInstanceOf(ConnectorError);
      expect(error).toMatchObject({ kind: 'configuration', applied: 'no', retryable: false });
      return (error as ConnectorError).message;
    }
    throw new Error('the settings were accepted');
  };

  it('accepts valid settings without connecting, and closes', async () => {
    const connector = createSqlConnector({ connectionId: 'Hr', settings: valid, entityTypes });
    expect(connector.capabilities).toEqual({
      entityTypes: ['Account', 'Group'],
      completeExport: true,
      incrementalExport: false,
      fulfil: true,
      readBack: true,
    });
    await connector.close();
  });

  it.each([
    ['Account.table', 'users; drop table users'],
    ['Account.table', 'a.b.c'],
    ['Account.table', '"users"'],
    ['Account.keyColumn', 'login--'],
    ['Account.keyColumn', 'schema.login'],
    ['Account.incrementalColumn', 'updated at'],
    ['Account.groups.linkTable', 'user_groups)'],
    ['Account.groups.sourceColumn', "user_login'"],
    ['Account.groups.targetColumn', '1group'],
    ['Group.table', ''],
  ])('refuses %s = %j, naming the setting', (setting, value) => {
    const message = refusal({ [setting]: value });
    expect(message).toContain('connection Hr');
    expect(message).toContain(`"${setting}"`);
  });

  it('refuses bad column overrides, naming the setting and the problem', () => {
    expect(refusal({ 'Account.columns': 'mail=e-mail' })).toMatch(/"Account.columns".*"mail"/);
    expect(refusal({ 'Account.columns': 'nosuch=col' })).toMatch(/"Account.columns".*"nosuch"/);
    expect(refusal({ 'Account.columns': 'groups=col' })).toMatch(/not a scalar property/);
    expect(refusal({ 'Account.columns': 'mail' })).toMatch(/property=column/);
    expect(refusal({ 'Account.columns': 'login=user_id', 'Account.keyColumn': 'login' })).toMatch(
      /"Account.columns".*key/,
    );
  });

  it('refuses a wrong dialect, location, pool size or unknown setting', () => {
    expect(refusal({ dialect: 'oracle' })).toContain('"dialect"');
    expect(refusal({ dialect: null })).toContain('"dialect" is required');
    expect(refusal({ url: null })).toContain('"url" is required');
    expect(refusal({ url: 'mysql://root@127.0.0.1/test' })).toContain('postgres://');
    expect(refusal({ dialect: 'sqlite', url: null })).toContain('"path" is required');
    expect(refusal({ poolSize: 0 })).toContain('"poolSize"');
    expect(refusal({ poolSize: 'many' })).toContain('"poolSize"');
    expect(refusal({ tabel: 'x' })).toContain('"tabel"');
    expect(refusal({ 'Account.tabel': 'x' })).toContain('"Account.tabel"');
    expect(refusal({ 'Person.table': 'people' })).toContain('"Person.table"');
    expect(refusal({ 'Account.mail.linkTable': 'x' })).toContain('not a navigation');
    expect(refusal({ 'Account.groups.targetColumn': null })).toContain('"Account.groups.targetColumn" is required');
  });

  it('never echoes a URL, which may carry a password', () => {
    const message = refusal({ url: 'postgres//admin:Hunter2-secret@db/x' });
    expect(message).toContain('"url"');
    expect(message).not.toContain('Hunter2');
  });
});
