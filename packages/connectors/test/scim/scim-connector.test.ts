import { createServer } from 'node:net';
import { type ScimServer, startScimServer } from '@ordo/scim-server-fixture';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Connector } from '../../src/connector.ts';
import { ConnectorError } from '../../src/connector-error.ts';
import {
  connectorFor,
  createGroupDirectly,
  groupsOfDirectly,
  listDirectly,
  unique,
  userDirectly,
  valuesDirectly,
} from './scim-test-setup.ts';

let server: ScimServer;
let connector: Connector;

beforeAll(async () => {
  server = await startScimServer();
  connector = connectorFor(server);
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(() => {
  server.clearFaults();
});

const user = (name: string) => ({ userName: name, email: `${name}@example.org`, title: 'Engineer' });
const create = (name: string, groups: string[] = [], c: Connector = connector) =>
  c.fulfil({ kind: 'create', entityType: 'ScimUser', key: name, values: user(name), links: { groups } });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(ConnectorError);
      return error as ConnectorError;
    },
  );

describe('SCIM connector: error classification against the real server', () => {
  it('classifies 429 as throttled, with Retry-After in seconds as retryAfterMs', async () => {
    server.throttleNext(1, '7', { method: 'GET', path: '/Users' });
    const error = await failure(connector.read({ entityType: 'ScimUser', key: unique('t'), properties: [] }));
    expect(error).toMatchObject({ kind: 'throttled', applied: 'no', retryable: true, retryAfterMs: 7000 });
    expect(error.message).toContain('GET /Users');
  });

  it('reads Retry-After given as an HTTP date', async () => {
    const at = new Date(Date.now() + 60_000).toUTCString();
    server.throttleNext(1, at, { method: 'POST', path: '/Users' });
    const error = await failure(create(unique('date')));
    expect(error.kind).toBe('throttled');
    expect(error.retryAfterMs).toBeGreaterThan(50_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('classifies 503 as unreachable and retryable, with nothing applied', async () => {
    server.injectFault({ kind: 'respond', status: 503, body: '' }, { match: { method: 'POST' } });
    const name = unique('busy');
    const error = await failure(create(name));
    expect(error).toMatchObject({ kind: 'unreachable', applied: 'no', retryable: true });
    expect(await userDirectly(server, name)).toBeNull();
  });

  it('turns a body that is not JSON into a classified error naming the endpoint', async () => {
    server.garbleNext(1, { method: 'GET', path: '/Users' });
    const error = await failure(connector.read({ entityType: 'ScimUser', key: unique('g'), properties: [] }));
    expect(error).toMatchObject({ kind: 'unknown', applied: 'no', retryable: false });
    expect(error.message).toMatch(/GET \/Users: malformed SCIM answer: 200 with a body that is not JSON/);
  });

  it('says maybe applied when a write answers 2xx with garbage', async () => {
    server.garbleNext(1, { method: 'POST', path: '/Users' });
    const error = await failure(create(unique('garbled')));
    expect(error).toMatchObject({ kind: 'unknown', applied: 'maybe' });
    expect(error.message).toContain('POST /Users');
  });

  it('turns a ListResponse without Resources, and a user without id, into classified errors', async () => {
    const list = (resources: Record<string, unknown>) =>
      JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 3,
        ...resources,
      });
    server.injectFault({ kind: 'respond', status: 200, body: list({}) }, { match: { path: '/Users' } });
    const missing = await failure(
      connector.export({ entityType: 'ScimUser', mode: 'complete', cookie: null }, async () => {}),
    );
    expect(missing.kind).toBe('unknown');
    expect(missing.message).toMatch(/GET \/Users: malformed SCIM answer: the ListResponse has no Resources array/);

    server.injectFault(
      { kind: 'respond', status: 200, body: list({ Resources: [{ userName: 'no-id' }] }) },
      { match: { path: '/Users' } },
    );
    const noId = await failure(connector.read({ entityType: 'ScimUser', key: 'no-id', properties: [] }));
    expect(noId.message).toMatch(/Resources\[0\] has no id/);
  });

  it('refuses a wrong token as permission, without echoing any token', async () => {
    const wrong = connectorFor(server, { token: 'not-the-token-123' });
    const error = await failure(wrong.testConnection());
    expect(error).toMatchObject({ kind: 'permission', applied: 'no', retryable: false });
    expect(error.message).not.toContain('not-the-token-123');
    expect(error.message).not.toContain(server.token);
  });

  it('hides the token when the server echoes it in an error', async () => {
    server.injectFault({
      kind: 'respond',
      status: 400,
      body: JSON.stringify({ status: '400', scimType: 'invalidValue', detail: `bad header Bearer ${server.token}` }),
    });
    const error = await failure(create(unique('echo')));
    expect(error.kind).toBe('schema');
    expect(error.message).not.toContain(server.token);
    expect(error.message).toContain('[redacted]');
  });

  it('classifies a refused connection as unreachable, not applied', async () => {
    const port = await freePort();
    const closed = connectorFor({ baseUrl: `http://127.0.0.1:${port}/scim/v2`, token: 'x-token' });
    const error = await failure(create(unique('nowhere'), [], closed));
    expect(error).toMatchObject({ kind: 'unreachable', applied: 'no', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('classifies a write whose answer is late as a timeout that may have been applied', async () => {
    // Generous margins: the lookup before the POST shares the timeout, and the machine may be busy.
    const slow = connectorFor(server, { timeoutMs: 1000 });
    const name = unique('slow');
    server.injectFault({ kind: 'delay', ms: 2500, when: 'after' }, { match: { method: 'POST', path: '/Users' } });
    const error = await failure(create(name, [], slow));
    expect(error).toMatchObject({ kind: 'timeout', applied: 'maybe', retryable: true });
    // The server did apply it: the retry finds the user and changes nothing.
    expect(await userDirectly(server, name)).not.toBeNull();
    expect((await create(name, [], slow)).changed).toBe(false);
  });

  it('classifies a connection dropped after the server applied a write as maybe applied', async () => {
    const name = unique('dropped');
    server.injectFault({ kind: 'drop', afterForwarding: true }, { match: { method: 'POST', path: '/Users' } });
    const error = await failure(create(name));
    expect(error).toMatchObject({ kind: 'unreachable', applied: 'maybe', retryable: true });
    expect(await userDirectly(server, name)).not.toBeNull();
  });

  it('reports maybe when a later request of the same operation fails after a write', async () => {
    const group = unique('later');
    await createGroupDirectly(server, group);
    const name = unique('partial');
    server.injectFault({ kind: 'respond', status: 503, body: '' }, { match: { method: 'PATCH', path: /^\/Groups\// } });
    const error = await failure(create(name, [group]));
    expect(error).toMatchObject({ kind: 'unreachable', applied: 'maybe' });
    expect(await userDirectly(server, name)).not.toBeNull();
  });
});

describe('SCIM connector: ensure semantics on the real server', () => {
  it('handles a userName with quotes, backslashes and unicode', async () => {
    const plain = unique('odd');
    const name = `o"brien\\${plain}-ü-名前`;
    const values = { userName: name, email: `${plain}@example.org` };
    const createOdd = () => connector.fulfil({ kind: 'create', entityType: 'ScimUser', key: name, values, links: {} });
    expect(await createOdd()).toEqual({ changed: true, key: name });
    expect((await createOdd()).changed).toBe(false);
    const read = await connector.read({ entityType: 'ScimUser', key: name, properties: ['userName', 'email'] });
    expect(read?.values).toEqual(values);
    expect((await userDirectly(server, name))?.userName).toBe(name);
    expect((await connector.fulfil({ kind: 'delete', entityType: 'ScimUser', key: name })).changed).toBe(true);
    expect(await userDirectly(server, name)).toBeNull();
  });

  it('keeps a membership added outside Ordo when Ordo adds and removes other groups', async () => {
    const [a, b, c] = [unique('ga'), unique('gb'), unique('gc')];
    const outsideId = await createGroupDirectly(server, b);
    await createGroupDirectly(server, a);
    await createGroupDirectly(server, c);
    const name = unique('keep');
    await create(name, [a]);
    const id = (await userDirectly(server, name))?.id as string;
    const outside = await server.request('PATCH', `/Groups/${outsideId}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }],
    });
    expect(outside.status).toBe(200);

    const before = server.requests.length;
    const outcome = await connector.fulfil({
      kind: 'update',
      entityType: 'ScimUser',
      key: name,
      values: {},
      addLinks: { groups: [c] },
      removeLinks: { groups: [a] },
    });
    expect(outcome.changed).toBe(true);
    expect((await groupsOfDirectly(server, id)).sort()).toEqual([b, c].sort());
    // Memberships were written as single operations on the groups, never as a member-list replace.
    const operations = server.requests
      .slice(before)
      .filter((r) => r.method === 'PATCH')
      .map((r) => (JSON.parse(r.body) as { Operations: unknown[] }).Operations);
    expect(operations).toEqual([
      [{ op: 'add', path: 'members', value: [{ value: id }] }],
      [{ op: 'remove', path: `members[value eq "${id}"]` }],
    ]);
  });

  it('refuses to link a group that does not exist, before writing anything', async () => {
    const name = unique('nogroup');
    const error = await failure(create(name, [unique('ghost')]));
    expect(error).toMatchObject({ kind: 'not_found', applied: 'no' });
    expect(await userDirectly(server, name)).toBeNull();
  });

  it('reports already_exists when another user holds the email', async () => {
    const owner = unique('owner');
    await create(owner);
    const error = await failure(
      connector.fulfil({
        kind: 'create',
        entityType: 'ScimUser',
        key: unique('clash'),
        values: { email: `${owner}@example.org` },
        links: {},
      }),
    );
    expect(error).toMatchObject({ kind: 'already_exists', applied: 'no' });
  });

  it('writes a boolean and a name part, and patches only what differs', async () => {
    const name = unique('bool');
    await create(name);
    const before = server.requests.length;
    const update = {
      kind: 'update' as const,
      entityType: 'ScimUser',
      key: name,
      values: { active: false, 'name.givenName': 'Grace', title: 'Engineer' },
      addLinks: {},
      removeLinks: {},
    };
    expect((await connector.fulfil(update)).changed).toBe(true);
    const patch = server.requests.slice(before).filter((r) => r.method === 'PATCH');
    expect(patch).toHaveLength(1);
    const found = await userDirectly(server, name);
    expect(valuesDirectly(found ?? {})).toMatchObject({ active: false, 'name.givenName': 'Grace', title: 'Engineer' });
    expect((await connector.fulfil(update)).changed).toBe(false);
  });

  it('creates, patches and deletes groups keyed by displayName', async () => {
    const name = unique('team');
    const createGroup = (externalId: string) =>
      connector.fulfil({ kind: 'create', entityType: 'ScimGroup', key: name, values: { externalId }, links: {} });
    expect((await createGroup('ext-1')).changed).toBe(true);
    expect((await createGroup('ext-1')).changed).toBe(false);
    expect((await createGroup('ext-2')).changed).toBe(true);
    const read = await connector.read({
      entityType: 'ScimGroup',
      key: name,
      properties: ['displayName', 'externalId'],
    });
    expect(read).toEqual({
      entityType: 'ScimGroup',
      key: name,
      values: { displayName: name, externalId: 'ext-2' },
      links: {},
    });
    expect((await connector.fulfil({ kind: 'delete', entityType: 'ScimGroup', key: name })).changed).toBe(true);
    expect((await listDirectly(server, '/Groups')).some((g) => g.displayName === name)).toBe(false);
  });

  it('finds a user deleted and recreated outside Ordo despite its cached id', async () => {
    const name = unique('recreated');
    await create(name);
    const id = (await userDirectly(server, name))?.id as string;
    expect((await server.request('DELETE', `/Users/${id}`)).status).toBe(204);
    expect(await connector.read({ entityType: 'ScimUser', key: name, properties: [] })).toBeNull();
    // better-auth keeps the deleted user's email for its own account: the new one needs another.
    const recreate = {
      kind: 'create' as const,
      entityType: 'ScimUser',
      key: name,
      values: { email: `re.${name}@example.org` },
      links: {},
    };
    expect((await connector.fulfil(recreate)).changed).toBe(true);
    expect((await userDirectly(server, name))?.id).not.toBe(id);
    const read = await connector.read({ entityType: 'ScimUser', key: name, properties: ['email'] });
    expect(read?.values.email).toBe(`re.${name}@example.org`);
  });

  it('follows a group deleted and recreated outside Ordo despite its cached id', async () => {
    const group = unique('phoenix');
    const oldId = await createGroupDirectly(server, group);
    await create(unique('first'), [group]);
    expect((await server.request('DELETE', `/Groups/${oldId}`)).status).toBe(204);
    const newId = await createGroupDirectly(server, group);
    const name = unique('second');
    expect((await create(name, [group])).changed).toBe(true);
    const id = (await userDirectly(server, name))?.id as string;
    const members = (await server.request('GET', `/Groups/${newId}`)).body as { members: { value: string }[] };
    expect(members.members.map((m) => m.value)).toEqual([id]);
  });

  it('treats an email the server lowercased as unchanged', async () => {
    const name = unique('Case');
    const values = { userName: name, email: `${name}@Example.ORG` };
    const createMixed = () =>
      connector.fulfil({ kind: 'create', entityType: 'ScimUser', key: name, values, links: {} });
    expect((await createMixed()).changed).toBe(true);
    expect(valuesDirectly((await userDirectly(server, name)) ?? {}).email).toBe(`${name}@example.org`.toLowerCase());
    expect((await createMixed()).changed).toBe(false);
  });
});

describe('SCIM connector: export', () => {
  it('reads memberships in one pass over the groups, not one request per user', async () => {
    const group = unique('exported');
    await createGroupDirectly(server, group);
    const names = [unique('ex'), unique('ex'), unique('ex')];
    for (const name of names) await create(name, [group]);
    const before = server.requests.length;
    const seen = new Map<string, readonly string[]>();
    await connector.export({ entityType: 'ScimUser', mode: 'complete', cookie: null, pageSize: 2 }, async (page) => {
      for (const o of page.objects) seen.set(o.key, o.links.groups ?? []);
    });
    for (const name of names) expect(seen.get(name)).toEqual([group]);
    const requests = server.requests.slice(before);
    expect(requests.filter((r) => /^\/Users\/[^?]/.test(r.path))).toHaveLength(0);
    const groupPages = Math.ceil((await listDirectly(server, '/Groups')).length / 100);
    expect(requests.filter((r) => r.path.startsWith('/Groups'))).toHaveLength(groupPages);
    expect(requests.filter((r) => r.path.startsWith('/Users?')).length).toBe(Math.ceil(seen.size / 2));
  });

  it('offers no incremental export by default, and runs a complete one when asked', async () => {
    expect(connector.capabilities.incrementalExport).toBe(false);
    const outcome = await connector.export(
      { entityType: 'ScimUser', mode: 'incremental', cookie: '2020-01-01T00:00:00.000Z' },
      async () => {},
    );
    expect(outcome).toEqual({ mode: 'complete', cookie: null });
  });

  it('reports a server that cannot filter on meta.lastModified as a configuration problem', async () => {
    const incremental = connectorFor(server, { incrementalExport: true });
    expect(incremental.capabilities.incrementalExport).toBe(true);
    const first = await incremental.export(
      { entityType: 'ScimUser', mode: 'incremental', cookie: null },
      async () => {},
    );
    expect(first.mode).toBe('complete');
    expect(first.cookie).not.toBeNull();
    const error = await failure(
      incremental.export({ entityType: 'ScimUser', mode: 'incremental', cookie: first.cookie }, async () => {}),
    );
    expect(error.kind).toBe('configuration');
    expect(error.message).toMatch(/incrementalExport.*invalidFilter/);
  });
});

/** A loopback port nobody listens on. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
