import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, launchSlapd, slapdBinary, startSlapdWatchdog, stopSlapdWatchdog } from '@ordo/slapd';

const run = promisify(execFile);

const slapaddBinary = '/usr/sbin/slapadd';
const moduleDir = '/usr/lib/ldap';
const schemaDir = '/etc/ldap/schema';

/** A throwaway OpenLDAP of the demo: suffix dc=example,dc=org, on a free port of 127.0.0.1. */
export interface ThrowawaySlapd {
  /** `ldap://127.0.0.1:<port>/`. */
  readonly url: string;
  readonly adminDn: string;
  /** Random for each start; only ever handed to the embedded agent, never printed. */
  readonly adminPassword: string;
  /** Stops slapd and removes its data. Also done when the process exits, however it exits. */
  stop(): Promise<void>;
}

/**
 * Starts OpenLDAP (mdb, with the memberof and syncprov overlays when the machine has them) loaded
 * with `ldif` before it starts, in a temp dir. It is killed and its data removed when this process
 * exits (Ctrl-C, SIGTERM, an error) and, through a small watchdog shell, when this process is
 * killed outright, so no demo directory outlives its demo.
 * @throws when slapd is not installed, with the command that installs it.
 */
export async function startThrowawaySlapd(ldif: string): Promise<ThrowawaySlapd> {
  if (!existsSync(slapdBinary) || !existsSync(slapaddBinary)) {
    throw Object.assign(
      new Error(
        `${slapdBinary} is not installed: \`ordo demo --ldap\` starts a throwaway OpenLDAP. Install it with ` +
          '`apt-get install -y --no-install-recommends slapd ldap-utils`, or run `ordo demo` (SQLite application).',
      ),
      { code: 'DEMO_SLAPD_MISSING' },
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'ordo-demo-slapd-'));
  try {
    const baseDn = 'dc=example,dc=org';
    const adminDn = `cn=admin,${baseDn}`;
    const adminPassword = randomBytes(18).toString('base64url');
    const overlays = ['memberof', 'syncprov'].filter((name) => existsSync(join(moduleDir, `${name}.so`)));
    const config = join(dir, 'slapd.conf');
    await mkdir(join(dir, 'data'));
    await writeFile(config, slapdConfig(dir, baseDn, adminDn, adminPassword, overlays), { mode: 0o600 });
    await writeFile(join(dir, 'init.ldif'), ldif);
    // slapadd loads the starting entries offline: no bind, and the memberOf values it computes
    // come from the overlay at the first start.
    await run(slapaddBinary, ['-q', '-f', config, '-l', join(dir, 'init.ldif')]);
    const port = await freePort();
    const url = `ldap://127.0.0.1:${port}/`;
    const child = await launchSlapd(config, url, port);
    const watchdog = startSlapdWatchdog(child, dir);
    const onExit = () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    };
    process.once('exit', onExit);
    return {
      url,
      adminDn,
      adminPassword,
      async stop() {
        process.off('exit', onExit);
        stopSlapdWatchdog(watchdog);
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function slapdConfig(dir: string, baseDn: string, adminDn: string, password: string, overlays: string[]): string {
  return [
    ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include ${schemaDir}/${s}.schema`),
    `modulepath ${moduleDir}`,
    'moduleload back_mdb.so',
    ...overlays.map((o) => `moduleload ${o}.so`),
    `pidfile ${join(dir, 'slapd.pid')}`,
    `argsfile ${join(dir, 'slapd.args')}`,
    'sizelimit unlimited',
    'database mdb',
    'maxsize 268435456',
    `suffix "${baseDn}"`,
    `rootdn "${adminDn}"`,
    `rootpw ${password}`,
    `directory ${join(dir, 'data')}`,
    // Throwaway data: durability against an OS crash is not worth an fsync per write.
    'dbnosync',
    'index objectClass eq',
    'index uid,cn eq',
    'index member eq',
    'index entryCSN eq',
    ...overlays.map((o) => `overlay ${o}`),
    '',
  ].join('\n');
}
