import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStores, openDatabase } from '@ordo/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../server/src/security/password-hashing.ts';
import { repositoryRoot, runOrdo } from './support/run-ordo.ts';

const root = repositoryRoot;

const ordo = (args: string[], options: { input?: string; password?: string } = {}) =>
  runOrdo(args, { input: options.input ?? '', env: { ORDO_PASSWORD: options.password } });

describe('ordo account and ordo token', () => {
  const db = join(mkdtempSync(join(tmpdir(), 'ordo-accounts-')), 'ordo.sqlite');
  beforeAll(() => {
    const applied = ordo(['--db', db, 'config', 'apply', join(root, 'examples/basic')]);
    expect(applied.code, applied.err).toBe(0);
  }, 60_000);

  async function withDb<T>(fn: (stores: ReturnType<typeof createStores>) => Promise<T>): Promise<T> {
    const database = await openDatabase({ url: db });
    try {
      return await fn(createStores(database));
    } finally {
      await database.close();
    }
  }

  it('creates accounts with the password from ORDO_PASSWORD or stdin, and lists them', async () => {
    const fromEnv = ordo(
      ['--db', db, 'account', 'create', 'ada', '--profile', 'Administrator', '--email', 'ada@example.org'],
      {
        password: 'ada has a long password',
      },
    );
    expect(fromEnv.code, fromEnv.err).toBe(0);
    const fromStdin = ordo(['--db', db, 'account', 'create', 'bob', '--profile', 'RoleOfficer', '--profile', 'User'], {
      input: 'bob has a long password\n',
    });
    expect(fromStdin.code, fromStdin.err).toBe(0);
    const list = ordo(['--db', db, 'account', 'list']);
    expect(list.out).toMatch(/^ada\s+ada\s+Administrator/m);
    expect(list.out).toMatch(/^bob\s+bob\s+RoleOfficer,User/m);
    expect(list.out).not.toMatch(/argon2/);
    await withDb(async (stores) => {
      const ada = await stores.accounts.passwordHashOf('ada');
      const bob = await stores.accounts.passwordHashOf('bob');
      expect(await verifyPassword(ada?.hash ?? '', 'ada has a long password')).toBe(true);
      expect(await verifyPassword(bob?.hash ?? '', 'bob has a long password')).toBe(true);
      expect((await stores.audit.list({ action: 'account.created', limit: 5 })).map((a) => a.actor)).toEqual([
        'cli',
        'cli',
      ]);
    });
  }, 60_000);

  it('refuses a short password and an unknown profile, listing both, and creates nothing', async () => {
    const refused = ordo(['--db', db, 'account', 'create', 'eve', '--profile', 'Wizard'], { password: 'short' });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/profiles\.0: no profile Wizard/);
    expect(refused.err).toMatch(/password: a password needs at least 12 characters/);
    expect(refused.err).toMatch(/\[ACCOUNT_INVALID\]/);
    await withDb(async (stores) => expect(await stores.accounts.byLogin('eve')).toBeUndefined());
  }, 60_000);

  it('sets a password from stdin and creates an API token printed once', async () => {
    const changed = ordo(['--db', db, 'account', 'set-password', 'bob'], { input: 'a brand new long password\n' });
    expect(changed.code, changed.err).toBe(0);
    const token = ordo(['--db', db, 'token', 'create', 'bob', 'nightly-report']);
    expect(token.code, token.err).toBe(0);
    expect(token.out.trim()).toMatch(/^ordo_pat_[\w-]{40,}$/);
    await withDb(async (stores) => {
      const bob = await stores.accounts.passwordHashOf('bob');
      expect(await verifyPassword(bob?.hash ?? '', 'a brand new long password')).toBe(true);
      const found = await stores.apiTokens.find(token.out.trim(), new Date().toISOString());
      expect(found).toMatchObject({ name: 'nightly-report', accountId: bob?.accountId });
    });
    expect(ordo(['--db', db, 'token', 'create', 'ghost', 'x']).code).toBe(1);
  }, 60_000);
});
