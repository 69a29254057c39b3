import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetStaleLoginFailures } from '../../src/use-cases/security/login-throttle.ts';
import { type ApiFixture, password, startApiFixture } from './api-fixture.ts';

const start = '2026-11-28T09:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(start) + minutes * 60_000).toISOString();

describe('session expiry and sign-in rate limits', () => {
  let fixture: ApiFixture;
  beforeAll(async () => {
    fixture = await startApiFixture({ generate: false, now: start });
  });
  afterAll(() => fixture.close());

  const signIn = (login: string, secret: string, address: string) =>
    fixture.runtime.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { login, password: secret },
      remoteAddress: address,
    });
  const whoAmI = (cookie: string) =>
    fixture.runtime.app.inject({ method: 'GET', url: '/api/session', cookies: { ordo_session: cookie } });
  const cookieOf = (answer: LightMyRequestResponse) => {
    const cookie = answer.cookies.find((c) => c.name === 'ordo_session')?.value;
    if (!cookie) throw new Error(`no session cookie: ${answer.statusCode} ${answer.body}`);
    return cookie;
  };

  it('ends a session idle for 60 minutes, and keeps a used one alive', async () => {
    fixture.clock.set(start);
    const cookie = cookieOf(await signIn('officer', password, '10.0.0.1'));
    fixture.clock.set(at(59));
    expect((await whoAmI(cookie)).statusCode).toBe(200); // used: slides to 59 + 60
    fixture.clock.set(at(118));
    expect((await whoAmI(cookie)).statusCode).toBe(200);
    fixture.clock.set(at(118 + 60));
    const idle = await whoAmI(cookie);
    expect(idle.statusCode).toBe(401);
    expect(idle.json().code).toBe('UNAUTHENTICATED');
  });

  it('ends a session 12 hours after sign-in however busy it is', async () => {
    fixture.clock.set(start);
    const cookie = cookieOf(await signIn('officer', password, '10.0.0.2'));
    for (let minutes = 50; minutes < 12 * 60; minutes += 50) {
      fixture.clock.set(at(minutes));
      expect((await whoAmI(cookie)).statusCode, `at ${minutes} min`).toBe(200);
    }
    fixture.clock.set(at(12 * 60 - 1));
    expect((await whoAmI(cookie)).statusCode).toBe(200);
    fixture.clock.set(at(12 * 60));
    expect((await whoAmI(cookie)).statusCode).toBe(401);
  });

  it('locks a login after 5 failures (429 with Retry-After), even with the right password, until the lock lapses', async () => {
    fixture.clock.set(start);
    for (let i = 0; i < 5; i++) {
      const wrong = await signIn('manager', 'wrong password', '10.0.1.1');
      expect(wrong.statusCode).toBe(401);
    }
    const locked = await signIn('manager', password, '10.0.1.2');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('LOGIN_THROTTLED');
    expect(Number(locked.headers['retry-after'])).toBe(15 * 60);
    // Other logins from the same address are not locked by it.
    expect((await signIn('officer', password, '10.0.1.1')).statusCode).toBe(200);

    fixture.clock.set(at(10));
    const stillLocked = await signIn('manager', password, '10.0.1.2');
    expect(stillLocked.statusCode).toBe(429);
    expect(Number(stillLocked.headers['retry-after'])).toBe(5 * 60);
    fixture.clock.set(new Date(Date.parse(at(15)) + 1000).toISOString());
    const lapsed = await signIn('manager', password, '10.0.1.2');
    expect(lapsed.statusCode).toBe(200);
    // A success clears the login's failures: one new failure does not lock again.
    expect((await signIn('manager', 'wrong password', '10.0.1.2')).statusCode).toBe(401);
    expect((await signIn('manager', password, '10.0.1.2')).statusCode).toBe(200);
  });

  it('locks a client address after 20 failures over many logins (password spraying)', async () => {
    fixture.clock.set(at(100));
    for (let i = 0; i < 20; i++) {
      expect((await signIn(`sprayed-${i}`, 'Winter2026!', '10.0.2.1')).statusCode).toBe(401);
    }
    const locked = await signIn('user', password, '10.0.2.1');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // The same person from another address is fine: only the address is locked.
    expect((await signIn('user', password, '10.0.2.2')).statusCode).toBe(200);
    fixture.clock.set(at(100 + 16));
    expect((await signIn('user', password, '10.0.2.1')).statusCode).toBe(200);
  });

  it('forgets failures whose window is over and whose lock lapsed, and keeps live locks', async () => {
    fixture.clock.set(at(200));
    for (let i = 0; i < 5; i++) await signIn('resources', 'wrong password', '10.0.3.1');
    const rows = () => fixture.stores.loginThrottle.get(['login:resources', 'address:10.0.3.1']);
    expect(await rows()).toHaveLength(2);
    // Earlier tests' failures are long over: forgotten. These are locked for 5 more minutes: kept.
    fixture.clock.set(at(200 + 10));
    expect(await forgetStaleLoginFailures(fixture)).toBeGreaterThan(0);
    expect(await rows()).toHaveLength(2);
    fixture.clock.set(at(200 + 16));
    expect(await forgetStaleLoginFailures(fixture)).toBe(2);
    expect(await rows()).toEqual([]);
  });
});

describe('behind a TLS reverse proxy (ordo serve --trust-proxy ADDRESS --secure-cookies)', () => {
  let fixture: ApiFixture;
  const proxy = '10.9.0.1';
  beforeAll(async () => {
    fixture = await startApiFixture({ generate: false, now: start, trustProxy: proxy, secureCookies: true });
  });
  afterAll(() => fixture.close());

  const signIn = (login: string, secret: string, from: { remote: string; forwardedFor?: string }) =>
    fixture.runtime.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { login, password: secret },
      remoteAddress: from.remote,
      ...(from.forwardedFor ? { headers: { 'x-forwarded-for': from.forwardedFor } } : {}),
    });

  it("limits sign-ins per client address as the proxy reports it, not per proxy; believes no one else's header", async () => {
    const sprayer = { remote: proxy, forwardedFor: '198.51.100.7' };
    for (let i = 0; i < 20; i++) expect((await signIn(`sprayed-${i}`, 'Winter2026!', sprayer)).statusCode).toBe(401);
    expect((await signIn('user', password, sprayer)).statusCode).toBe(429);
    // Another person behind the same proxy is not locked out with the sprayer.
    const colleague = await signIn('user', password, { remote: proxy, forwardedFor: '198.51.100.8' });
    expect(colleague.statusCode).toBe(200);
    // The session cookie is Secure: browsers send it over HTTPS only.
    expect(colleague.cookies.find((c) => c.name === 'ordo_session')?.secure).toBe(true);
    // A client that is not the proxy cannot pick its address by sending the header itself.
    const forged = await signIn('user', password, { remote: '10.9.0.2', forwardedFor: '198.51.100.7' });
    expect(forged.statusCode).toBe(200);
  });
});
