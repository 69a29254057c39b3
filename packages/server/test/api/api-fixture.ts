import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { fixedClock } from '../../src/clock.ts';
import { readConfigurationFolder } from '../../src/config/read-configuration-folder.ts';
import { createOrdoRuntime, type OrdoRuntime } from '../../src/ordo-runtime.ts';
import { hashPassword } from '../../src/security/password-hashing.ts';
import { createStores, type Stores } from '../../src/storage/stores.ts';
import { ComputeContext } from '../../src/use-cases/compute-context.ts';
import { computeRoleModel } from '../../src/use-cases/compute-role-model.ts';
import { applyConfiguration, loadAppliedModel } from '../../src/use-cases/configuration.ts';
import { generateOrders } from '../../src/use-cases/generate-orders.ts';
import { importResources } from '../../src/use-cases/import-resources.ts';
import { resourceIdFor } from '../../src/use-cases/resource-id.ts';
import { openTestDatabase, type TestDialect } from '../support/test-database.ts';

export const exampleFolder = join(import.meta.dirname, '../../../../examples/basic');
export const password = 'correct horse battery staple';

/**
 * The demo's people, one per profile. `manager` is E00006, who manages E00025 (`user`), so the
 * Manager profile's `managed` scope reaches `user` but not, say, E00001.
 */
export const people = {
  admin: { profiles: ['Administrator'], identity: null },
  officer: { profiles: ['RoleOfficer'], identity: null },
  resources: { profiles: ['ResourceManager'], identity: null },
  manager: { profiles: ['Manager'], identity: 'E00006' },
  user: { profiles: ['User'], identity: 'E00025' },
  nobody: { profiles: [], identity: null },
} as const;
export type Login = keyof typeof people;
export const personId = (employeeId: string) => resourceIdFor('Person', employeeId);

export interface ApiClient {
  readonly login: string;
  readonly csrfToken: string;
  request(method: InjectOptions['method'], url: string, body?: unknown): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

export interface ApiFixture {
  readonly runtime: OrdoRuntime;
  readonly stores: Stores;
  readonly clock: ReturnType<typeof fixedClock>;
  /** Signs `login` in (password) and returns a client sending its cookie and CSRF token. */
  as(login: Login): Promise<ApiClient>;
  /** Unauthenticated requests. */
  anonymous(method: InjectOptions['method'], url: string, body?: unknown): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * A server over the example configuration and demo data, computed and with its first orders
 * generated, on SQLite or PostgreSQL, with one account per profile. No agent runs: tests drive
 * the API and read the stores.
 */
export async function startApiFixture(
  options: {
    dialect?: TestDialect;
    now?: string;
    generate?: boolean;
    /** Receives the runtime's log lines and the HTTP request log (pino JSON lines). */
    log?: (line: string) => void;
    /** As `ordo serve --trust-proxy` and `--secure-cookies`. */
    trustProxy?: string;
    secureCookies?: boolean;
  } = {},
): Promise<ApiFixture> {
  const database = await openTestDatabase(options.dialect ?? 'sqlite');
  const stores = createStores(database);
  const clock = fixedClock(options.now ?? '2026-11-28T09:00:00.000Z');
  const cause = { kind: 'job' as const, id: 'fixture' };
  await applyConfiguration({ stores, clock }, await readConfigurationFolder(exampleFolder), cause);
  const { model } = await loadAppliedModel(stores);
  const data = JSON.parse(readFileSync(join(exampleFolder, 'data.json'), 'utf8')).resources;
  await importResources({ stores }, data, (entityType, property) => {
    const p = model.entityTypes[entityType]?.properties[property];
    return p?.kind === 'navigation' ? p.target : null;
  });
  await computeRoleModel({ stores, clock }, ComputeContext.create(model, stores), {
    scope: { kind: 'complete' },
    cause,
  });
  if (options.generate !== false) {
    const first = await generateOrders({ stores, clock }, model, { cause, newId: randomUUID });
    if (first.status === 'blocked')
      await generateOrders({ stores, clock }, model, { cause, resume: true, newId: randomUUID });
  }
  const passwordHash = await hashPassword(password);
  for (const [login, person] of Object.entries(people)) {
    await stores.accounts.create({
      id: `account-${login}`,
      login,
      displayName: login,
      passwordHash,
      identityId: person.identity ? personId(person.identity) : null,
      profiles: person.profiles,
      at: clock.now(),
    });
  }
  const log = options.log;
  const runtime = await createOrdoRuntime({
    stores,
    clock,
    log: log ?? (() => {}),
    housekeepingMs: 3_600_000,
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    ...(options.secureCookies ? { secureCookies: true } : {}),
    ...(log ? { httpLogger: { level: 'info', stream: { write: (line: string) => log(line) } } } : {}),
  });
  const inject = (options: InjectOptions) => runtime.app.inject(options);

  return {
    runtime,
    stores,
    clock,
    as: (login) => signInClient(inject, login),
    anonymous: (method, url, body) =>
      inject({ method, url, ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }) }),
    async close() {
      await runtime.close();
      await database.close();
    },
  };
}

/** Signs `login` in with the fixtures' password on an app, and returns a client sending its cookie and CSRF token. */
export async function signInClient(
  inject: (options: InjectOptions) => Promise<LightMyRequestResponse>,
  login: string,
): Promise<ApiClient> {
  const answer = await inject({ method: 'POST', url: '/api/session', payload: { login, password } });
  if (answer.statusCode !== 200) throw new Error(`sign-in of ${login} failed: ${answer.statusCode} ${answer.body}`);
  const cookie = answer.cookies.find((c) => c.name === 'ordo_session');
  if (!cookie) throw new Error('no session cookie');
  const csrfToken: string = answer.json().csrfToken;
  const request: ApiClient['request'] = (method, url, body) =>
    inject({
      method,
      url,
      cookies: { ordo_session: cookie.value },
      headers: { 'x-csrf-token': csrfToken },
      ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
    });
  return {
    login,
    csrfToken,
    request,
    get: (url) => request('GET', url),
    post: (url, body) => request('POST', url, body ?? {}),
  };
}
