import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdoRuntime, type OrdoRuntime } from '../../src/ordo-runtime.ts';
import { type ApiFixture, startApiFixture } from './api-fixture.ts';

const redirectUri = 'http://ordo.test/api/session/oidc/callback';
const clientSecret = 'a-client-secret-for-the-loopback-provider';

/** People the provider knows: their subject and claims. */
const providerUsers: Record<string, Record<string, unknown>> = {
  'sub-officer': { preferred_username: 'officer', email: 'officer@idp.test', email_verified: true },
  'sub-stranger': { preferred_username: 'stranger', email: 'stranger@idp.test', email_verified: true },
  'sub-user': { preferred_username: 'u25', email: 'User25@Example.org', email_verified: true },
  'sub-unverified': { preferred_username: 'u99', email: 'manager@example.org', email_verified: false },
};

/** A minimal cookie jar for the provider's own cookies (interaction and session). */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair?.indexOf('=') ?? -1;
      if (!pair || at < 0) continue;
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

describe('sign-in through OIDC against a real provider (oidc-provider on loopback)', () => {
  let fixture: ApiFixture;
  let server: Server;
  let issuer: string;
  let runtime: OrdoRuntime;

  beforeAll(async () => {
    fixture = await startApiFixture({ generate: false });
    await fixture.stores.accounts.update('account-user', { email: 'user25@example.org', at: fixture.clock.now() });
    await fixture.stores.accounts.update('account-manager', { email: 'manager@example.org', at: fixture.clock.now() });
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'ordo',
          client_secret: clientSecret,
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      claims: { openid: ['sub'], profile: ['preferred_username'], email: ['email', 'email_verified'] },
      cookies: { keys: ['oidc-test-cookie-key'] },
      findAccount: (_ctx: unknown, sub: string) => {
        const claims = providerUsers[sub];
        return claims ? { accountId: sub, claims: () => ({ sub, ...claims }) } : undefined;
      },
    });
    server.on('request', provider.callback());
    runtime = await createOrdoRuntime({
      stores: fixture.stores,
      clock: fixture.clock,
      log: () => {},
      housekeepingMs: 3_600_000,
      oidc: {
        settings: {
          issuer,
          clientId: 'ordo',
          clientSecret,
          redirectUri,
          loginClaim: 'preferred_username',
          scopes: 'openid profile email',
        },
        allowHttp: true,
      },
    });
  });
  afterAll(async () => {
    await runtime?.close();
    await new Promise((resolve) => server?.close(resolve));
    await fixture?.close();
  });

  /**
   * Drives the browser's part: Ordo's start, the provider's login and consent forms (its
   * development interactions), and back to Ordo's callback. Answers the callback's response.
   */
  async function signInAs(subject: string, tamper?: (flowCookie: string) => string) {
    const start = await runtime.app.inject({ method: 'GET', url: '/api/session/oidc/start' });
    expect(start.statusCode).toBe(302);
    const flowCookie = start.cookies.find((c) => c.name === 'ordo_oidc');
    expect(flowCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const jar = new CookieJar();
    let next = new URL(String(start.headers.location));
    expect(next.origin).toBe(issuer);
    expect(next.searchParams.get('code_challenge_method')).toBe('S256');
    let request: RequestInit = {};
    for (let hop = 0; hop < 20; hop++) {
      if (next.href.startsWith(redirectUri)) break;
      const response = await fetch(next, {
        ...request,
        redirect: 'manual',
        headers: { ...(request.headers as Record<string, string>), cookie: jar.header() },
      });
      jar.store(response);
      request = {};
      if (response.status >= 300 && response.status < 400) {
        next = new URL(String(response.headers.get('location')), next);
        continue;
      }
      const html = await response.text();
      expect(response.status, html.slice(0, 500)).toBe(200);
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
      if (!action || !prompt) throw new Error(`no form in the provider's page: ${html.slice(0, 500)}`);
      next = new URL(action.replaceAll('&amp;', '&'), next);
      request = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ prompt, login: subject, password: 'any' }).toString(),
      };
    }
    expect(next.href.startsWith(redirectUri)).toBe(true);
    expect(next.searchParams.get('code')).toBeTruthy();
    const cookieValue = flowCookie?.value ?? '';
    return runtime.app.inject({
      method: 'GET',
      url: `${next.pathname}${next.search}`,
      cookies: { ordo_oidc: tamper ? tamper(cookieValue) : cookieValue },
    });
  }

  const whoIs = (answer: Awaited<ReturnType<typeof signInAs>>) => {
    const cookie = answer.cookies.find((c) => c.name === 'ordo_session');
    if (!cookie) throw new Error(`no session: ${answer.statusCode} ${answer.body}`);
    return runtime.app.inject({ method: 'GET', url: '/api/session', cookies: { ordo_session: cookie.value } });
  };

  it('links an account by its login claim the first time, and signs in by subject afterwards', async () => {
    const answer = await signInAs('sub-officer');
    expect(answer.statusCode).toBe(302);
    expect(answer.headers.location).toBe('/');
    expect(answer.cookies.find((c) => c.name === 'ordo_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const me = await whoIs(answer);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ login: 'officer', profiles: ['RoleOfficer'] });
    expect((await fixture.stores.accounts.byLogin('officer'))?.oidc).toEqual({ issuer, subject: 'sub-officer' });
    const audit = await fixture.stores.audit.list({ targetId: 'account-officer', limit: 10 });
    expect(audit.map((a) => a.action)).toEqual(['session.signed_in', 'account.oidc_linked']);
    expect(audit[0]?.detail).toBe('oidc');

    // Later the provider renames the person: the subject still finds the account.
    const renamed = providerUsers['sub-officer'];
    if (renamed) renamed.preferred_username = 'officer-renamed';
    const again = await signInAs('sub-officer');
    expect((await whoIs(again)).json().login).toBe('officer');
  });

  it('matches by verified email when the login claim matches no account', async () => {
    const answer = await signInAs('sub-user');
    expect((await whoIs(answer)).json()).toMatchObject({ login: 'user', profiles: ['User'] });
  });

  it('an unknown subject gets no session and leaves an audit line; so does an unverified email', async () => {
    for (const subject of ['sub-stranger', 'sub-unverified']) {
      const answer = await signInAs(subject);
      expect(answer.statusCode).toBe(401);
      expect(answer.json().code).toBe('OIDC_ACCOUNT_UNKNOWN');
      expect(answer.cookies.find((c) => c.name === 'ordo_session')).toBeUndefined();
      const audit = await fixture.stores.audit.list({
        action: 'session.oidc_refused',
        targetId: `${issuer}#${subject}`,
        limit: 5,
      });
      expect(audit).toHaveLength(1);
    }
    expect((await fixture.stores.accounts.byLogin('manager'))?.oidc).toBeNull();
  });

  it('sends a browser back to the sign-in page with the reason instead of a bare problem', async () => {
    const answer = await runtime.app.inject({
      method: 'GET',
      url: '/api/session/oidc/callback?code=abc&state=def',
      headers: { accept: 'text/html,application/xhtml+xml' },
    });
    expect(answer.statusCode).toBe(302);
    expect(answer.headers.location).toBe('/?signInError=OIDC_FLOW_INVALID');
    expect(answer.cookies.find((c) => c.name === 'ordo_session')).toBeUndefined();
    expect((await runtime.app.inject({ method: 'GET', url: '/api/session/methods' })).json()).toEqual({
      password: true,
      oidc: true,
    });
  });

  it('refuses a callback whose flow cookie is missing or tampered with', async () => {
    const tampered = await signInAs('sub-officer', (value) => `${value.slice(0, -2)}xx`);
    expect(tampered.statusCode).toBe(401);
    expect(tampered.json().code).toBe('OIDC_FLOW_INVALID');
    const none = await runtime.app.inject({ method: 'GET', url: '/api/session/oidc/callback?code=abc&state=def' });
    expect(none.statusCode).toBe(401);
    expect(none.cookies.find((c) => c.name === 'ordo_session')).toBeUndefined();
  });

  it('answers 404 when OIDC is not configured', async () => {
    const answer = await fixture.anonymous('GET', '/api/session/oidc/start');
    expect(answer.statusCode).toBe(404);
    expect(answer.json().code).toBe('OIDC_NOT_CONFIGURED');
    expect((await fixture.anonymous('GET', '/api/session/methods')).json()).toEqual({ password: true, oidc: false });
  });
});
