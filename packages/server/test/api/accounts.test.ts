import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, password, personId, startApiFixture } from './api-fixture.ts';

const newPassword = 'a long enough passphrase';

describe.each(['sqlite', 'postgres'] as const)('accounts and API tokens (%s)', (dialect) => {
  let fixture: ApiFixture;
  beforeAll(async () => {
    fixture = await startApiFixture({ dialect, generate: false });
  });
  afterAll(() => fixture.close());

  const auditCount = async () =>
    Number(
      (
        await fixture.stores.database.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('lists accounts without any password hash, and only for administrators', async () => {
    const admin = await fixture.as('admin');
    const answer = await admin.get('/api/accounts');
    expect(answer.statusCode).toBe(200);
    expect(answer.json().map((a: { login: string }) => a.login)).toContain('officer');
    expect(answer.body).not.toMatch(/argon2|passwordHash|password_hash/);
    expect((await (await fixture.as('officer')).get('/api/accounts')).statusCode).toBe(403);
  });

  it('creates an account linked to an identity; the new person can sign in with that password', async () => {
    const admin = await fixture.as('admin');
    const answer = await admin.post('/api/accounts', {
      login: 'alice',
      displayName: 'Alice',
      email: 'alice@example.org',
      identityKey: 'E00001',
      profiles: ['User'],
      password: newPassword,
    });
    expect(answer.statusCode).toBe(201);
    expect(answer.json()).toMatchObject({
      login: 'alice',
      identityId: personId('E00001'),
      profiles: ['User'],
      disabled: false,
    });
    expect(answer.body).not.toContain(newPassword);
    const signIn = await fixture.anonymous('POST', '/api/session', { login: 'alice', password: newPassword });
    expect(signIn.statusCode).toBe(200);
    const audit = await fixture.stores.audit.list({ action: 'account.created', targetId: answer.json().id, limit: 5 });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(newPassword);
    expect(JSON.stringify(audit)).not.toMatch(/argon2/);
  });

  it('refuses every bad field at once, a taken login, and writes nothing then', async () => {
    const admin = await fixture.as('admin');
    const before = await auditCount();
    const bad = await admin.post('/api/accounts', {
      login: 'bob',
      displayName: 'Bob',
      identityKey: 'NOPE',
      profiles: ['User', 'Wizard'],
      password: 'short',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('ACCOUNT_INVALID');
    expect(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['identityKey', 'password', 'profiles.1']);
    const taken = await admin.post('/api/accounts', {
      login: 'officer',
      displayName: 'X',
      profiles: [],
      password: newPassword,
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('LOGIN_TAKEN');
    const malformed = await admin.post('/api/accounts', { login: 'a b', profiles: 'User', extra: 1 });
    expect(malformed.statusCode).toBe(400);
    expect(await fixture.stores.accounts.byLogin('bob')).toBeUndefined();
    expect(await auditCount()).toBe(before);
  });

  it('changes profiles; disabling ends the sessions of the account; a password reset works', async () => {
    const admin = await fixture.as('admin');
    const target = await fixture.stores.accounts.byLogin('resources');
    if (!target) throw new Error('no resources account');
    const theirs = await fixture.as('resources');
    expect((await theirs.get('/api/session')).statusCode).toBe(200);

    const changed = await admin.request('PATCH', `/api/accounts/${target.id}`, {
      profiles: ['ResourceManager', 'User'],
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().profiles).toEqual(['ResourceManager', 'User']);

    const disabled = await admin.request('PATCH', `/api/accounts/${target.id}`, { disabled: true });
    expect(disabled.json().disabled).toBe(true);
    expect((await theirs.get('/api/session')).statusCode).toBe(401);
    const refused = await fixture.anonymous('POST', '/api/session', { login: 'resources', password });
    expect(refused.statusCode).toBe(401);

    await admin.request('PATCH', `/api/accounts/${target.id}`, { disabled: false, password: newPassword });
    expect(
      (await fixture.anonymous('POST', '/api/session', { login: 'resources', password: newPassword })).statusCode,
    ).toBe(200);

    const audit = await fixture.stores.audit.list({ action: 'account.updated', targetId: target.id, limit: 10 });
    expect(audit).toHaveLength(3);
    expect(audit.at(-1)).toMatchObject({
      before: { profiles: ['ResourceManager'] },
      after: { profiles: ['ResourceManager', 'User'] },
    });
    expect(JSON.stringify(audit)).not.toContain(newPassword);
  });

  it('refuses to disable one’s own account, unknown accounts and unknown profiles', async () => {
    const admin = await fixture.as('admin');
    const self = await admin.request('PATCH', '/api/accounts/account-admin', { disabled: true });
    expect(self.statusCode).toBe(400);
    expect((await admin.request('PATCH', '/api/accounts/ghost', { displayName: 'G' })).statusCode).toBe(404);
    // Nobody takes away their own right to manage accounts (the last administrator would lock all out).
    const demoted = await admin.request('PATCH', '/api/accounts/account-admin', { profiles: ['User'] });
    expect(demoted.statusCode).toBe(400);
    expect(demoted.json().errors).toEqual([
      { path: 'profiles', message: expect.stringMatching(/another administrator/) },
    ]);
    expect((await fixture.stores.accounts.get('account-admin'))?.profiles).toEqual(['Administrator']);
    expect(
      (await admin.request('PATCH', '/api/accounts/account-admin', { profiles: ['Administrator', 'User'] })).statusCode,
    ).toBe(200);
    const profile = await admin.request('PATCH', '/api/accounts/account-user', { profiles: ['Nope'] });
    expect(profile.statusCode).toBe(400);
    expect((await fixture.stores.accounts.get('account-user'))?.profiles).toEqual(['User']);
  });

  it('API tokens: created once (ordo_pat_), usable as bearer, listed without value, revoked', async () => {
    const user = await fixture.as('user');
    const created = await user.post('/api/tokens', { name: 'script' });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^ordo_pat_[\w-]{40,}$/);
    const rows = await fixture.stores.database.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(token);

    const viaToken = await fixture.runtime.app.inject({
      method: 'GET',
      url: '/api/session',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(viaToken.statusCode).toBe(200);
    expect(viaToken.json().login).toBe('user');
    // A token cannot mint more tokens.
    const minted = await fixture.runtime.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'more' },
    });
    expect(minted.statusCode).toBe(403);

    const listed = await user.get('/api/tokens');
    expect(listed.json()).toEqual([expect.objectContaining({ id, name: 'script', revokedAt: null })]);
    expect(listed.body).not.toContain(token);

    // Another person cannot revoke it: it is not found among theirs.
    expect((await (await fixture.as('manager')).request('DELETE', `/api/tokens/${id}`)).statusCode).toBe(404);
    const revoked = await user.request('DELETE', `/api/tokens/${id}`);
    expect(revoked.statusCode).toBe(200);
    expect((await user.request('DELETE', `/api/tokens/${id}`)).statusCode).toBe(409);
    const after = await fixture.runtime.app.inject({
      method: 'GET',
      url: '/api/session',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.statusCode).toBe(401);
    const audit = await fixture.stores.audit.list({ targetId: 'account-user', limit: 20 });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['api_token.created', 'api_token.revoked']));
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('two people acting at once: one creation per login, one revocation per token, each recorded once', async () => {
    const admin = await fixture.as('admin');
    const creations = await Promise.all(
      [1, 2, 3].map(() =>
        admin.post('/api/accounts', { login: 'twin', displayName: 'Twin', profiles: [], password: newPassword }),
      ),
    );
    expect(creations.map((a) => a.statusCode).sort()).toEqual([201, 409, 409]);
    expect(await fixture.stores.audit.list({ action: 'account.created', limit: 50 })).toHaveLength(
      (await fixture.stores.accounts.list()).filter((a) => !a.id.startsWith('account-')).length,
    );

    const token = (await admin.post('/api/accounts/account-manager/tokens', { name: 'race' })).json();
    const revocations = await Promise.all(
      [1, 2, 3].map(() => admin.request('DELETE', `/api/accounts/account-manager/tokens/${token.id}`)),
    );
    expect(revocations.map((a) => a.statusCode).sort()).toEqual([200, 409, 409]);
    const audit = await fixture.stores.audit.list({
      action: 'api_token.revoked',
      targetId: 'account-manager',
      limit: 10,
    });
    expect(audit).toHaveLength(1);
  });

  it('concurrent changes of one account each record the state they really replaced', async () => {
    const admin = await fixture.as('admin');
    const changes = [['User'], ['RoleOfficer'], ['ResourceManager'], ['User', 'RoleOfficer']];
    const answers = await Promise.all(
      changes.map((profiles) => admin.request('PATCH', '/api/accounts/account-nobody', { profiles })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    const audit = (
      await fixture.stores.audit.list({ action: 'account.updated', targetId: 'account-nobody', limit: 10 })
    )
      .reverse()
      .map((r) => ({
        before: (r.before as { profiles: string[] }).profiles,
        after: (r.after as { profiles: string[] }).profiles,
      }));
    expect(audit).toHaveLength(4);
    expect(audit[0]?.before).toEqual([]);
    for (let i = 1; i < audit.length; i++) expect(audit[i]?.before).toEqual(audit[i - 1]?.after);
    expect((await fixture.stores.accounts.get('account-nobody'))?.profiles).toEqual(audit.at(-1)?.after);
  });

  it('administrators create and revoke tokens of another account; others may not', async () => {
    const admin = await fixture.as('admin');
    const created = await admin.post('/api/accounts/account-officer/tokens', {
      name: 'ci',
      expiresAt: '2027-01-01T00:00:00Z',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().expiresAt).toBe('2027-01-01T00:00:00.000Z');
    const listed = await admin.get('/api/accounts/account-officer/tokens');
    expect(listed.json().map((t: { name: string }) => t.name)).toEqual(['ci']);
    const officer = await fixture.as('officer');
    expect((await officer.post('/api/accounts/account-user/tokens', { name: 'x' })).statusCode).toBe(403);
    expect((await admin.post('/api/accounts/ghost/tokens', { name: 'x' })).statusCode).toBe(404);
    const expired = await admin.post('/api/accounts/account-officer/tokens', {
      name: 'old',
      expiresAt: '2020-01-01T00:00:00Z',
    });
    expect(expired.statusCode).toBe(400);
    const revoked = await admin.request('DELETE', `/api/accounts/account-officer/tokens/${created.json().id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).toBe(fixture.clock.now());
  });
});
