import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, password, startApiFixture } from './api-fixture.ts';
import { samplePath } from './route-samples.ts';

/**
 * Secrets never leave the server in an answer, and never reach a log line: connector secrets
 * (resolved only by agents), passwords and their hashes, session cookies, CSRF tokens, agent and
 * API tokens. The test drives every readable route and the error paths with logging on, then
 * scans everything that came out.
 */
describe('secrets in answers and logs', () => {
  const connectorSecret = 'ldap-bind-secret-5b1f0e';
  const agentToken = 'agent-token-secret-77c2aa';
  const lines: string[] = [];
  const answers: string[] = [];
  let fixture: ApiFixture;
  beforeAll(async () => {
    process.env.ORDO_LDAP_PASSWORD = connectorSecret;
    fixture = await startApiFixture({ log: (line) => lines.push(line) });
    await fixture.stores.agentTokens.create({
      id: 'scan',
      agent: 'local',
      token: agentToken,
      at: fixture.clock.now(),
    });
  });
  afterAll(async () => {
    delete process.env.ORDO_LDAP_PASSWORD;
    await fixture.close();
  });

  it('shows none of them in any answer or log line', async () => {
    const keep = (body: string) => answers.push(body);
    keep((await fixture.anonymous('POST', '/api/session', { login: 'admin', password: `${password}-wrong` })).body);
    keep((await fixture.anonymous('POST', '/api/session', { login: 'admin' })).body);
    const signIn = await fixture.anonymous('POST', '/api/session', { login: 'admin', password });
    const cookie = signIn.cookies.find((c) => c.name === 'ordo_session')?.value ?? '';
    const admin = await fixture.as('admin');
    for (const route of fixture.runtime.routes) {
      if (route.method !== 'GET' || route.access.kind === 'agent') continue;
      keep((await admin.get(samplePath(route))).body);
    }
    for (const path of [
      '/api/agent/configuration',
      '/api/agent/exports/cookie?connection=DirectoryLdap&entityType=LdapAccount',
    ]) {
      const answer = await fixture.runtime.app.inject({
        method: 'GET',
        url: path,
        headers: { authorization: `Bearer ${agentToken}` },
      });
      keep(answer.body);
    }
    const configuration = await fixture.runtime.app.inject({
      method: 'GET',
      url: '/api/agent/configuration',
      headers: { authorization: `Bearer ${agentToken}` },
    });
    // The agent receives the reference, and resolves it on its own side.
    expect(configuration.json().connectors[1].connections[0].settings.bindPassword).toEqual({
      env: 'ORDO_LDAP_PASSWORD',
    });
    keep(
      (
        await fixture.runtime.app.inject({
          method: 'POST',
          url: '/api/agent/lease',
          headers: { authorization: `Bearer ${agentToken}x` },
          payload: {},
        })
      ).body,
    );

    const secrets = { connectorSecret, agentToken, password, cookie };
    const everything = [...answers, ...lines].join('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length).toBeGreaterThan(8);
      expect(everything.includes(secret), `${name} leaked`).toBe(false);
    }
    expect(everything).not.toMatch(/\$argon2id\$/);
    // The CSRF token is meant for the page (sign-in and GET /api/session answer it), never for logs.
    expect(lines.join('\n').includes(admin.csrfToken), 'the CSRF token reached a log line').toBe(false);
  });
});
