import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStores, openDatabase } from '@ordo/server';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../server/src/security/password-hashing.ts';
import { repositoryRoot } from './support/run-ordo.ts';

const tsx = join(repositoryRoot, 'node_modules/.bin/tsx');
const main = join(repositoryRoot, 'packages/cli/src/main.ts');
const example = join(repositoryRoot, 'examples/demo');
const ldapExample = join(repositoryRoot, 'examples/demo-ldap');
const env = { ...process.env, DATABASE_URL: '' };

/** A fresh working folder, as a person who just cloned Ordo runs the demo from: every path is relative to it. */
function workingFolder(): string {
  return mkdtempSync(join(tmpdir(), 'ordo-demo-cwd-'));
}

function atlasDatabase(cwd: string) {
  return new Database(join(cwd, '.ordo/demo/atlas.sqlite'), { readonly: true, fileMustExist: true });
}

async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs: number): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('ordo demo --no-serve', () => {
  it('creates Atlas, loads HR and Atlas through the exports, generates orders and the logins', async () => {
    const cwd = workingFolder();
    const result = spawnSync(tsx, [main, 'demo', '--example', example, '--no-serve'], { cwd, env, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/exported Person from HrCsv: 300 /);
    expect(result.stdout).toMatch(/exported AtlasAccount from AtlasDatabase: 25 /);
    for (const login of ['admin', 'officer', 'resources', 'manager', 'user']) {
      expect(result.stdout).toMatch(new RegExp(`${login}\\s.*ordo-demo-${login}`));
    }

    const atlas = atlasDatabase(cwd);
    try {
      const tables = atlas.prepare("select name from sqlite_master where type = 'table' order by name").all();
      expect(tables.map((t) => (t as { name: string }).name)).toEqual(['account_groups', 'accounts', 'groups']);
      // Only the accounts Atlas had before Ordo: nothing is written until the demo serves.
      expect(atlas.prepare('select count(*) as n from accounts').get()).toEqual({ n: 25 });
    } finally {
      atlas.close();
    }
    expect(existsSync(join(cwd, '.ordo/demo/hr/people.csv'))).toBe(true);

    const database = await openDatabase({ url: join(cwd, '.ordo/demo/ordo.sqlite') });
    try {
      const stores = createStores(database);
      expect(await stores.resources.count('Person')).toBe(300);
      const people = await stores.resources.listByEntityType('Person', { limit: 1000 });
      expect(people.some((p) => /[éèëïüöøž]/i.test(`${p.values.firstName}${p.values.lastName}`))).toBe(true);
      const pending = await stores.orders.list({ state: 1, limit: 1000 });
      expect(pending.filter((o) => o.resourceTypeId === 'AtlasAccount').length).toBeGreaterThan(250);
      // Parking permits of the managers wait as manual tickets.
      const tickets = await stores.orders.list({ state: 2, limit: 1000 });
      expect(tickets.filter((o) => o.resourceTypeId === 'ParkingPermit').length).toBeGreaterThan(20);

      const manager = await stores.accounts.byLogin('manager');
      const user = await stores.accounts.byLogin('user');
      expect(manager?.profiles).toEqual(['Manager']);
      const userPerson = await stores.resources.get(user?.identityId ?? '');
      // The Manager manages the User, so the Manager's scope reaches the User's identity.
      expect(userPerson?.links.manager).toEqual([manager?.identityId]);
      const stored = await stores.accounts.passwordHashOf('admin');
      expect(await verifyPassword(stored?.hash ?? '', 'ordo-demo-admin')).toBe(true);
    } finally {
      await database.close();
    }
  }, 120_000);

  it('still takes --db', () => {
    const cwd = workingFolder();
    const db = join(cwd, 'elsewhere.sqlite');
    const result = spawnSync(tsx, [main, '--db', db, 'demo', '--example', example, '--no-serve'], {
      cwd,
      env,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(db)).toBe(true);
    expect(existsSync(join(cwd, '.ordo/demo/ordo.sqlite'))).toBe(false);
  }, 120_000);
});

/** `ordo demo` serving, as the browser test starts it; stopped with SIGTERM as Ctrl-C would. */
function startDemo(args: string[]): { child: ChildProcess; cwd: string; output: () => string; url: Promise<string> } {
  const cwd = workingFolder();
  const child = spawn(tsx, [main, 'demo', '--example', example, '--port', '0', ...args], { cwd, env });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const found = /^Ordo demo: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output);
      if (found?.[1]) resolve(found[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`ordo demo exited (${code}) before serving:\n${output}`)));
  });
  running.push(child);
  return { child, cwd, output: () => output, url };
}

const running: ChildProcess[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});

describe('ordo demo (serving)', () => {
  it('prints its URL, takes the demo logins, and the embedded agent writes the accounts into Atlas', async () => {
    const demo = startDemo([]);
    const url = await demo.url;
    const session = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'resources', password: 'ordo-demo-resources' }),
    });
    expect(session.status, await session.clone().text()).toBeLessThan(300);

    const counts = await waitFor(
      'the Atlas accounts of every employee',
      () => {
        const atlas = atlasDatabase(demo.cwd);
        try {
          const accounts = (atlas.prepare('select count(*) as n from accounts').get() as { n: number }).n;
          const staff = atlas.prepare("select count(*) as n from account_groups where group_name = 'staff'").get() as {
            n: number;
          };
          return accounts >= 290 && staff.n >= 290 ? { accounts, staff: staff.n } : null;
        } finally {
          atlas.close();
        }
      },
      60_000,
    );
    expect(counts.accounts).toBeGreaterThanOrEqual(290);
    const atlas = atlasDatabase(demo.cwd);
    try {
      const engineer = atlas
        .prepare(
          "select a.login, a.display_name, a.mail from accounts a join account_groups g on g.account_login = a.login where g.group_name = 'engineering' limit 1",
        )
        .get() as { login: string; mail: string } | undefined;
      expect(engineer?.mail).toMatch(/^[a-z0-9]+\.[a-z0-9]+@example\.org$/);
    } finally {
      atlas.close();
    }
  }, 120_000);
});

const slapdInstalled = existsSync('/usr/sbin/slapd') && existsSync('/usr/bin/ldapsearch');

function accepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe.skipIf(!slapdInstalled)('ordo demo --ldap', () => {
  it('provisions a throwaway OpenLDAP, and stops it with the demo', async () => {
    const demo = startDemo(['--ldap', '--ldap-example', ldapExample]);
    await demo.url;
    const ldapUrl = /throwaway OpenLDAP on (ldap:\/\/127\.0\.0\.1:\d+\/)/.exec(demo.output())?.[1] ?? '';
    expect(ldapUrl).not.toBe('');
    // Nobody had an account for E00002 in directory.ldif: the embedded agent creates it.
    const entry = await waitFor(
      'the LDAP account of E00002 with its groups',
      () => {
        const search = spawnSync(
          'ldapsearch',
          [
            '-x',
            '-LLL',
            '-H',
            ldapUrl,
            '-b',
            'ou=people,dc=example,dc=org',
            '(employeeNumber=E00002)',
            'uid',
            'memberOf',
          ],
          { encoding: 'utf8' },
        );
        return /memberOf: cn=staff,ou=groups/.test(search.stdout) ? search.stdout : null;
      },
      60_000,
    );
    expect(entry).toMatch(/uid: [a-z]+\.[a-z]+/);
    expect(entry).toMatch(/memberOf: cn=managers,ou=groups,dc=example,dc=org/);

    const exited = new Promise((resolve) => demo.child.once('exit', resolve));
    demo.child.kill('SIGTERM');
    await exited;
    await waitFor('slapd to stop with the demo', async () => !(await accepts(ldapUrl)), 10_000);
  }, 120_000);
});

describe('ordo demo --ldap without slapd', () => {
  it.skipIf(slapdInstalled)('says slapd is missing and how to install it', () => {
    const result = spawnSync(tsx, [main, 'demo', '--example', example, '--ldap', '--no-serve'], {
      cwd: workingFolder(),
      env,
      encoding: 'utf8',
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/slapd is not installed.*apt-get install/s);
  });
});
