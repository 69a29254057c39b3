import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleFolder, repositoryRoot, runOrdo } from './support/run-ordo.ts';

/** The `ordo` command as a person runs it: a real process, its output and its exit code. */
const root = repositoryRoot;
const example = exampleFolder;

const ordo = (...args: string[]) => runOrdo(args);

function brokenCopyOfExample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-broken-'));
  for (const file of readdirSync(example).filter((f) => f.endsWith('.yaml')))
    copyFileSync(join(example, file), join(dir, file));
  const edit = (file: string, from: RegExp, to: string) =>
    writeFileSync(join(dir, file), readFileSync(join(dir, file), 'utf8').replace(from, to));
  edit('resource-types.yaml', /connector: Directory\n/, 'connector: Directry\n'); // unknown reference
  edit('resource-types.yaml', /expression: identity\.lastName\n/, 'expression: identity.lastNme\n'); // CEL typo
  edit('resource-types.yaml', /allowRemove: true/, 'allowRemove: false'); // conflicts with removeOrphans
  edit('roles.yaml', /approval: 1\n/, 'approval: 7\n'); // out of range
  return dir;
}

describe('ordo config check', () => {
  it('says a valid folder has no problem', () => {
    const { code, out } = ordo('config', 'check', example);
    expect(code).toBe(0);
    expect(out).toMatch(/no problem/);
  });

  it('lists every problem of a broken folder at once, with file, line and path, and exits 1', () => {
    const { code, out } = ordo('config', 'check', brokenCopyOfExample());
    expect(code).toBe(1);
    expect(out).toMatch(
      /resource-types\.yaml:\d+:\d+ {2}resourceTypes\.LdapAccount\.connector\n.*unknown connector "Directry"/,
    );
    expect(out).toMatch(
      /resource-types\.yaml:\d+:\d+ {2}resourceTypes\.LdapAccount\.scalars\[3\]\.expression\n.*no property "lastNme"/,
    );
    expect(out).toMatch(/resourceTypes\.LdapAdminAccount\.removeOrphans\n.*needs allowRemove: true/);
    expect(out).toMatch(/roles\.yaml:\d+:\d+ {2}singleRoles\.EngineeringGroup\.approval/);
    expect(out).toMatch(/(\d+) problem\(s\)/);
    expect(Number(/(\d+) problem\(s\)/.exec(out)?.[1])).toBeGreaterThanOrEqual(4);
  });

  it('refuses to apply a broken folder and stores nothing', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ordo-cli-')), 'ordo.sqlite');
    const applied = ordo('--db', db, 'config', 'apply', brokenCopyOfExample());
    expect(applied.code).toBe(1);
    expect(applied.err).toMatch(/nothing was applied \[CONFIG_INVALID\]/);
    expect(ordo('--db', db, 'config', 'versions').out).not.toMatch(/^\s*1\s/m);
  });
});

describe('ordo plan, compute and orders on the example', () => {
  it('runs the whole path: apply, import, plan (writes nothing), compute, generate (blocked, resumed), list, show', {
    timeout: 180_000,
  }, () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ordo-cli-')), 'ordo.sqlite');
    expect(ordo('--db', db, 'config', 'apply', example).out).toMatch(/applied configuration version 1/);
    expect(ordo('--db', db, 'import', join(example, 'data.json')).out).toMatch(/imported 409 resources/);

    const plan = ordo('--db', db, 'plan', example, '--json');
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.out)).toMatchObject({
      identities: 300,
      orders: { LdapAccount: { added: 200 } },
      blocked: false,
    });

    const computed = ordo('--db', db, 'compute');
    expect(computed.out).toMatch(/computed 300 identities/);
    expect(ordo('--db', db, 'compute', '--dirty').out).toMatch(/computed 0 identities/);
    expect(ordo('--db', db, 'compute', '--identity', 'E00003').out).toMatch(
      /computed 1 identities .* 0 assignments written/,
    );

    const blocked = ordo('--db', db, 'orders', 'generate');
    expect(blocked.code).toBe(3);
    expect(blocked.out).toMatch(/BLOCKED by thresholds; no order was written/);
    expect(ordo('--db', db, 'orders', 'generate', '--resume').out).toMatch(/\d+ orders/);

    const list = ordo('--db', db, 'orders', 'list', '--state', '1', '--limit', '500');
    const added = list.out.split('\n').find((line) => / added +LdapAccount/.test(line));
    expect(added).toBeDefined();
    const show = ordo('--db', db, 'orders', 'show', added!.split(' ')[0]!);
    expect(show.code).toBe(0);
    expect(show.out).toMatch(/added {2}1 Pending/);
    expect(show.out).toMatch(/mail = ".*@example\.org"/);
    expect(show.out).toMatch(
      /provisioning ∅ → 1 {2}computed_missing .*rule resource-types\.yaml#resourceTypes\.LdapAccount\.scalars\[4\]/,
    );
    expect(show.out).toMatch(/order_generated_added/);

    expect(ordo('--db', db, 'orders', 'show', 'no-such-order')).toMatchObject({
      code: 1,
      err: expect.stringMatching(/ORDER_NOT_FOUND/),
    });
    expect(ordo('--db', db, 'orders', 'list', '--state', '12')).toMatchObject({
      code: 1,
      err: expect.stringMatching(/--state must be one of 0–8/),
    });
  });
});

describe('ordo agent', () => {
  it('creates an agent token, prints it once and stores only its hash', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ordo-cli-token-')), 'ordo.sqlite');
    const { code, out } = ordo('--db', db, 'agent', 'token', 'create', 'branch-office');
    expect(code).toBe(0);
    const token = out.trim();
    expect(token).toMatch(/^ordo_agent_[A-Za-z0-9_-]{43}$/);
    for (const file of [db, `${db}-wal`]) {
      if (existsSync(file)) expect(readFileSync(file).includes(Buffer.from(token)), file).toBe(false);
    }
    expect(existsSync(db)).toBe(true);
  });

  it('refuses to start without a server URL or a token, saying which', () => {
    const noServer = ordo('agent');
    expect(noServer.code).not.toBe(0);
    expect(noServer.err).toMatch(/--server URL/);
    const noToken = spawnSync(
      join(root, 'node_modules/.bin/tsx'),
      [join(root, 'packages/cli/src/main.ts'), 'agent', '--server', 'http://127.0.0.1:1'],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, ORDO_AGENT_TOKEN: '' },
      },
    );
    expect(noToken.status).not.toBe(0);
    expect(noToken.stderr).toMatch(/ORDO_AGENT_TOKEN/);
  });
});
