import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStores, openDatabase } from '@ordo/server';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../server/src/security/password-hashing.ts';
import { runOrdo } from './support/run-ordo.ts';

describe('ordo demo', () => {
  it('prepares the demo database with one login per profile, and prints them', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ordo-demo-')), 'demo.sqlite');
    const result = runOrdo(['--db', db, 'demo', '--no-serve']);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('demo logins:');
    for (const login of ['admin', 'officer', 'resources', 'manager', 'user']) {
      expect(result.out).toMatch(new RegExp(`${login}\\s.*ordo-demo-${login}`));
    }
    const database = await openDatabase({ url: db });
    try {
      const stores = createStores(database);
      const manager = await stores.accounts.byLogin('manager');
      expect(manager).toMatchObject({ profiles: ['Manager'], identityId: 'Person:E00006' });
      const stored = await stores.accounts.passwordHashOf('admin');
      expect(await verifyPassword(stored?.hash ?? '', 'ordo-demo-admin')).toBe(true);
    } finally {
      await database.close();
    }
  }, 120_000);
});
