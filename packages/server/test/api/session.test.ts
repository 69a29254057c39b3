import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, password, startApiFixture } from './api-fixture.ts';

describe('sessions', () => {
  let fixture: ApiFixture;
  beforeAll(async () => {
    fixture = await startApiFixture({ generate: false });
  });
  afterAll(() => fixture.close());

  it('signs in with a password, sets an HttpOnly SameSite=Strict cookie and answers the CSRF token', async () => {
    const answer = await fixture.anonymous('POST', '/api/session', { login: 'officer', password });
    expect(answer.statusCode).toBe(200);
    const cookie = answer.cookies.find((c) => c.name === 'ordo_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(answer.json()).toMatchObject({ login: 'officer', profiles: ['RoleOfficer'] });
    expect(answer.json().csrfToken).toMatch(/^[\w-]{20,}$/);
    // Only a hash of the cookie value is stored.
    const rows = await fixture.stores.database.db.selectFrom('sessions').select('id_hash').execute();
    expect(rows.map((r) => r.id_hash)).not.toContain(cookie?.value);
  });

  it('refuses a wrong password and an unknown login with the same answer', async () => {
    const wrong = await fixture.anonymous('POST', '/api/session', { login: 'officer', password: 'nope' });
    const unknown = await fixture.anonymous('POST', '/api/session', { login: 'ghost', password: 'nope' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().code).toBe('LOGIN_FAILED');
    expect(unknown.json().detail).toBe(wrong.json().detail);
  });

  it('refuses a change without the CSRF token, and accepts it with the token', async () => {
    const client = await fixture.as('admin');
    const signIn = await fixture.anonymous('POST', '/api/session', { login: 'admin', password });
    const cookie = signIn.cookies.find((c) => c.name === 'ordo_session')?.value ?? '';
    const without = await fixture.runtime.app.inject({
      method: 'DELETE',
      url: '/api/session',
      cookies: { ordo_session: cookie },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe('CSRF_TOKEN_INVALID');
    expect((await client.request('DELETE', '/api/session')).statusCode).toBe(204);
    expect((await client.get('/api/session')).statusCode).toBe(401);
  });

  it('forgets sessions once they expired (the housekeeping loop calls this)', async () => {
    await fixture.as('user');
    const count = async () =>
      (await fixture.stores.database.db.selectFrom('sessions').select('id_hash').execute()).length;
    expect(await count()).toBeGreaterThan(0);
    expect(await fixture.stores.sessions.deleteExpired(fixture.clock.now())).toBe(0);
    const later = new Date(Date.parse(fixture.clock.now()) + 13 * 3_600_000).toISOString();
    expect(await fixture.stores.sessions.deleteExpired(later)).toBeGreaterThan(0);
    expect(await count()).toBe(0);
  });

  it('answers 401 without a session', async () => {
    const answer = await fixture.anonymous('GET', '/api/session');
    expect(answer.statusCode).toBe(401);
    expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
