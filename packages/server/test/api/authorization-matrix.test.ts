import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../src/http/access-control.ts';
import { type ApiClient, type ApiFixture, type Login, startApiFixture } from './api-fixture.ts';
import { routeKey, samplePath } from './route-samples.ts';

/**
 * Who may call what, written independently of the routes' own declarations: every route of the
 * app must have a line here, so a new route without a deliberate rule fails this test. Profiles:
 * admin (Administrator), officer (RoleOfficer), resources (ResourceManager), manager (Manager,
 * scope managed), user (User, scope self), nobody (no profile). Public and agent routes are
 * listed with their kind.
 */
const all: Login[] = ['admin', 'officer', 'resources', 'manager', 'user', 'nobody'];
const admin: Login[] = ['admin'];
const readers: Login[] = ['admin', 'officer', 'resources', 'manager', 'user'];
const roleReviewers: Login[] = ['admin', 'officer', 'manager'];
const resourceManagers: Login[] = ['admin', 'resources'];
const expected: Record<string, Login[] | 'public' | 'agent'> = {
  'GET /health': 'public',
  'GET /api/openapi.json': 'public',
  'GET /metrics': admin,
  'GET /api/agent/configuration': 'agent',
  'POST /api/agent/lease': 'agent',
  'POST /api/agent/reports': 'agent',
  'POST /api/agent/status': 'agent',
  'GET /api/agent/exports/cookie': 'agent',
  'GET /api/agent/exports/requests': 'agent',
  'POST /api/agent/exports': 'agent',
  'POST /api/session': 'public',
  'GET /api/session': all,
  'GET /api/home': all,
  'DELETE /api/session': all,
  'GET /api/session/methods': 'public',
  'GET /api/session/oidc/start': 'public',
  'GET /api/session/oidc/callback': 'public',
  'GET /api/tokens': all,
  'POST /api/tokens': all,
  'DELETE /api/tokens/:id': all,
  'GET /api/accounts': admin,
  'POST /api/accounts': admin,
  'PATCH /api/accounts/:id': admin,
  'GET /api/accounts/:id/tokens': admin,
  'POST /api/accounts/:id/tokens': admin,
  'DELETE /api/accounts/:id/tokens/:tokenId': admin,
  'GET /api/audit': admin,
  'GET /api/notifications': admin,
  'GET /api/connectors': ['admin', 'resources'],
  'GET /api/agents': ['admin', 'resources'],
  'POST /api/agents/:agent/tokens': admin,
  'DELETE /api/agents/:agent/tokens/:id': admin,
  'GET /api/jobs': admin,
  'POST /api/jobs': admin,
  'GET /api/jobs/:id': admin,
  'GET /api/jobs/:id/logs': admin,
  'POST /api/jobs/:id/resume': admin,
  'GET /api/job-schedules': admin,
  'POST /api/job-schedules': admin,
  'PATCH /api/job-schedules/:id': admin,
  'DELETE /api/job-schedules/:id': admin,
  'GET /api/directory/:entityType': readers,
  'GET /api/directory/:entityType/:id': readers,
  'GET /api/directory/:entityType/:id/permissions': readers,
  'GET /api/directory/:entityType/:id/permissions/:assignmentId/timeline': readers,
  'GET /api/directory/:entityType/:id/requestable': readers,
  'GET /api/directory/:entityType/:id/requests': readers,
  'POST /api/directory/:entityType/:id/requests': ['admin', 'officer', 'manager', 'user'],
  'GET /api/requests/:requestId': all,
  'POST /api/requests/:requestId/cancel': all,
  'GET /api/role-review/:entityType': roleReviewers,
  'POST /api/role-review/:entityType/:requestId/decision': roleReviewers,
  'GET /api/provisioning-review/:entityType': resourceManagers,
  'GET /api/provisioning-review/:entityType/errored': resourceManagers,
  'POST /api/provisioning-review/:entityType/resources/:assignedResourceTypeId/decision': resourceManagers,
  'POST /api/provisioning-review/:entityType/errored/unblock': resourceManagers,
  'POST /api/provisioning-review/:entityType/errored/:orderId/unblock': resourceManagers,
  'GET /api/manual-provisioning/:entityType': resourceManagers,
  'POST /api/manual-provisioning/:entityType/confirm': resourceManagers,
  'POST /api/manual-provisioning/:entityType/error': resourceManagers,
  'POST /api/manual-provisioning/:entityType/:orderId/confirm': resourceManagers,
  'POST /api/manual-provisioning/:entityType/:orderId/error': resourceManagers,
  'GET /api/orders': resourceManagers,
  'GET /api/orders/errors': resourceManagers,
  'GET /api/orders/:id': resourceManagers,
  'POST /api/orders/errors/retry': admin,
  'POST /api/orders/errors/dismiss': admin,
  'GET /api/reconciliation/resources/:entityType': resourceManagers,
  'POST /api/reconciliation/resources/:entityType/decisions': resourceManagers,
  'POST /api/reconciliation/resources/:entityType/decisions/bulk': resourceManagers,
  'GET /api/reconciliation/roles/:entityType': ['admin', 'officer'],
  'POST /api/reconciliation/roles/:entityType/decisions': ['admin', 'officer'],
  'POST /api/reconciliation/roles/:entityType/decisions/bulk': ['admin', 'officer'],
};

describe('authorization matrix: every route × every profile', () => {
  let fixture: ApiFixture;
  let routes: readonly RouteEntry[];
  const clients = new Map<Login, ApiClient>();
  beforeAll(async () => {
    fixture = await startApiFixture();
    routes = fixture.runtime.routes;
    for (const login of all) clients.set(login, await fixture.as(login));
  });
  afterAll(() => fixture.close());

  it('has a rule in this table for every route of the app, and no stale line', () => {
    const actual = routes.map(routeKey).sort();
    expect(actual.filter((key) => !(key in expected))).toEqual([]);
    expect(Object.keys(expected).filter((key) => !actual.includes(key))).toEqual([]);
  });

  it('declares public and agent routes as the table says', () => {
    for (const route of routes) {
      const rule = expected[routeKey(route)];
      if (rule === 'public' || rule === 'agent')
        expect(`${routeKey(route)} ${route.access.kind}`).toBe(`${routeKey(route)} ${rule}`);
      else expect(`${routeKey(route)} ${route.access.kind}`).not.toMatch(/ (public|agent)$/);
    }
  });

  it('answers 401 to anonymous callers of every guarded route', async () => {
    for (const route of routes) {
      const rule = expected[routeKey(route)];
      if (rule === 'public' || rule === 'agent' || rule === undefined) continue;
      const answer = await fixture.anonymous(
        route.method as 'GET',
        samplePath(route),
        route.method === 'GET' ? undefined : {},
      );
      expect(`${routeKey(route)} → ${answer.statusCode}`).toBe(`${routeKey(route)} → 401`);
    }
  });

  it('lets each profile through exactly where the table allows, and answers 403 elsewhere', async () => {
    const outcomes: string[] = [];
    const wanted: string[] = [];
    // Signing out ends the client's session: run it last.
    const ordered = [...routes].sort(
      (a, b) => Number(routeKey(a) === 'DELETE /api/session') - Number(routeKey(b) === 'DELETE /api/session'),
    );
    for (const route of ordered) {
      const rule = expected[routeKey(route)];
      if (rule === 'public' || rule === 'agent' || rule === undefined) continue;
      for (const login of all) {
        const client = clients.get(login) as ApiClient;
        const answer = await client.request(
          route.method as 'GET',
          samplePath(route),
          route.method === 'GET' ? undefined : {},
        );
        const got =
          answer.statusCode === 403 && answer.json().code !== 'OUT_OF_SCOPE'
            ? 'forbidden'
            : answer.statusCode === 401
              ? 'unauthenticated'
              : 'allowed';
        outcomes.push(`${routeKey(route)} ${login} ${got}`);
        wanted.push(`${routeKey(route)} ${login} ${rule.includes(login) ? 'allowed' : 'forbidden'}`);
        expect(answer.statusCode, `${routeKey(route)} as ${login}: ${answer.body.slice(0, 200)}`).toBeLessThan(500);
      }
    }
    expect(outcomes).toEqual(wanted);
  });
});
