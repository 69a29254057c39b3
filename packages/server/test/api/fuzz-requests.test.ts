import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../src/http/access-control.ts';
import { type ApiClient, type ApiFixture, startApiFixture } from './api-fixture.ts';
import { routeKey, samplePath } from './route-samples.ts';
import { stateFingerprint } from './state-fingerprint.ts';

/**
 * Thousands of malformed or random bodies, query strings and path values against every route,
 * as the administrator (so that authorization lets them reach validation and the use cases) and
 * as an agent on the agent routes. The server must never answer 5xx, and a refused request
 * (4xx) must change nothing. Bodies are built from the OpenAPI document's field names, so they
 * get past the first checks and reach deeper ones.
 */
const runsPerRoute = 40;

interface OpenApiOperation {
  requestBody?: { content?: { 'application/json'?: { schema?: { properties?: Record<string, unknown> } } } };
  parameters?: { in: string; name: string }[];
}

describe('random and malformed requests', () => {
  let fixture: ApiFixture;
  let admin: ApiClient;
  let agentToken: string;
  let operations: Record<string, OpenApiOperation>;
  beforeAll(async () => {
    fixture = await startApiFixture();
    admin = await fixture.as('admin');
    agentToken = 'fuzz-agent-token';
    await fixture.stores.agentTokens.create({
      id: 'fuzz',
      agent: 'local',
      token: agentToken,
      at: fixture.clock.now(),
    });
    const document = (await fixture.anonymous('GET', '/api/openapi.json')).json();
    operations = {};
    for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, OpenApiOperation>>)) {
      for (const [method, operation] of Object.entries(methods)) {
        operations[`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`] = operation;
      }
    }
  });
  afterAll(() => fixture.close());

  const junk = fc.oneof(
    fc.jsonValue(),
    fc.string(),
    fc.constantFrom(
      '',
      ' ',
      '0',
      '-1',
      '1e309',
      'null',
      'NaN',
      '9'.repeat(40),
      '../..',
      '%00',
      "'; drop table orders; --",
    ),
    fc.integer(),
    fc.double(),
    fc.array(fc.jsonValue(), { maxLength: 5 }),
  );

  function bodyFor(route: RouteEntry) {
    const fields = Object.keys(
      operations[routeKey(route)]?.requestBody?.content?.['application/json']?.schema?.properties ?? {},
    );
    const known =
      fields.length > 0
        ? fc.dictionary(fc.constantFrom(...fields), junk, { maxKeys: fields.length + 1 })
        : fc.constant({});
    return fc.oneof(known, fc.dictionary(fc.string({ maxLength: 12 }), junk, { maxKeys: 4 }), junk);
  }

  function queryFor(route: RouteEntry) {
    const names = (operations[routeKey(route)]?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    const name =
      names.length > 0 ? fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 8 })) : fc.string({ maxLength: 8 });
    return fc.dictionary(
      name,
      fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('-1', '0', '99999999999', 'true', '[]', '2026-13-45')),
      {
        maxKeys: 4,
      },
    );
  }

  const pathValue = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom('Person', 'LdapAccount', 'Person:E00025', '..', '%2F'),
  );

  it('never answers 5xx, and a refused request changes nothing', async () => {
    const routes = fixture.runtime.routes.filter((r) => routeKey(r) !== 'DELETE /api/session');
    let requests = 0;
    const failures: string[] = [];
    for (const route of routes) {
      let baseline = await stateFingerprint(fixture.stores);
      const samples = fc.sample(
        fc.record({ body: bodyFor(route), query: queryFor(route), params: fc.boolean(), value: pathValue }),
        { numRuns: runsPerRoute, seed: 4242 },
      );
      for (const sample of samples) {
        const path = sample.params
          ? route.url.replace(/:(\w+)/g, () => encodeURIComponent(sample.value))
          : samplePath(route);
        const query = new URLSearchParams(sample.query as Record<string, string>).toString();
        const url = `${path}${query ? `?${query}` : ''}`;
        const payload = route.method === 'GET' || route.method === 'DELETE' ? undefined : JSON.stringify(sample.body);
        const answer =
          route.access.kind === 'agent'
            ? await fixture.runtime.app.inject({
                method: route.method as 'POST',
                url,
                headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
                ...(payload === undefined ? {} : { payload }),
              })
            : await admin.request(route.method as 'GET', url, payload);
        requests++;
        if (answer.statusCode >= 500) {
          failures.push(
            `${route.method} ${url} ${payload?.slice(0, 200)} → ${answer.statusCode} ${answer.body.slice(0, 200)}`,
          );
        }
        // A valid random request may change state (that is its job): the baseline moves with it.
        if (answer.statusCode < 400 && route.method !== 'GET') baseline = await stateFingerprint(fixture.stores);
      }
      if ((await stateFingerprint(fixture.stores)) !== baseline) {
        failures.push(`${routeKey(route)}: a refused (or read-only) request changed the state`);
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(routes.length * runsPerRoute * 0.9);
  }, 300_000);
});
