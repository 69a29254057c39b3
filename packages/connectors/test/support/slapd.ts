import { type ChildProcess, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, launchSlapd, startSlapdWatchdog, stopSlapdWatchdog } from '@ordo/slapd';

const run = promisify(execFile);

const slapaddBinary = '/usr/sbin/slapadd';
const moduleDir = '/usr/lib/ldap';
const schemaDir = '/etc/ldap/schema';

/** How to start a throwaway OpenLDAP. */
export interface SlapdOptions {
  /** Also listen on ldaps:// with a self-signed certificate (StartTLS works on ldap:// too). */
  readonly tls?: boolean;
  /** Load the memberof overlay when the module exists (default true). */
  readonly memberOf?: boolean;
  /**
   * Load the syncprov overlay, which keeps the suffix's `contextCSN` current (default true).
   * Without it a directory offers no "latest change" marker.
   */
  readonly syncprov?: boolean;
}

/** The groups every fresh directory holds, by DN. */
export interface SlapdGroups {
  /** groupOfNames. */
  readonly staff: string;
  /** groupOfNames. */
  readonly admins: string;
  /** groupOfUniqueNames. */
  readonly auditors: string;
  /** posixGroup, gidNumber 5000, no memberUid. */
  readonly developers: string;
}

/** A throwaway OpenLDAP server with its own temp dir, port and data. */
export interface Slapd {
  /** `ldap://127.0.0.1:<port>/` (StartTLS is offered here when started with `tls`). */
  readonly url: string;
  /** `ldaps://127.0.0.1:<port>/` when started with `tls`, else null. */
  readonly ldapsUrl: string | null;
  /** PEM file of the certificate authority to trust for `ldapsUrl` and StartTLS, else null. */
  readonly caFile: string | null;
  readonly baseDn: string;
  readonly adminDn: string;
  readonly adminPassword: string;
  readonly peopleDn: string;
  readonly groupsDn: string;
  readonly groups: SlapdGroups;
  /** Overlays actually loaded (`memberof`, `syncprov`), as the machine offers them. */
  readonly overlays: readonly string[];
  /** The temp dir holding configuration, certificates and data. */
  readonly dir: string;
  readonly running: boolean;
  /** Starts again on the same ports with the same data (after `stop` or `kill`). */
  start(): Promise<void>;
  /** Graceful shutdown; data is kept. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /**
   * SIGSTOP, resolved once every thread has stopped: connections are then accepted by the kernel
   * but nothing answers (a hung server).
   */
  pause(): Promise<void>;
  /** SIGCONT after `pause`. */
  resume(): void;
  /** Stops the server and deletes its temp dir. */
  destroy(): Promise<void>;
}

/** Servers of this process still running, killed when the process exits however it exits. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/**
 * Starts a throwaway OpenLDAP (mdb backend, suffix dc=example,dc=org) on a free port of 127.0.0.1,
 * loaded with `ou=people`, `ou=groups` and the groups of {@link SlapdGroups}. Stop it with
 * `destroy()` in `afterAll`; it is also killed when the test process exits, even by SIGKILL.
 */
export async function startSlapd(options: SlapdOptions = {}): Promise<Slapd> {
  const dir = await mkdtemp(join(tmpdir(), 'ordo-slapd-'));
  try {
    return await prepare(dir, options);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function prepare(dir: string, options: SlapdOptions): Promise<Slapd> {
  const baseDn = 'dc=example,dc=org';
  const adminDn = `cn=admin,${baseDn}`;
  const adminPassword = randomBytes(12).toString('base64url');
  const peopleDn = `ou=people,${baseDn}`;
  const groupsDn = `ou=groups,${baseDn}`;
  const groups: SlapdGroups = {
    staff: `cn=staff,${groupsDn}`,
    admins: `cn=admins,${groupsDn}`,
    auditors: `cn=auditors,${groupsDn}`,
    developers: `cn=developers,${groupsDn}`,
  };
  const overlays = ['memberof', 'syncprov'].filter(
    (name) =>
      (name === 'memberof' ? options.memberOf : options.syncprov) !== false &&
      existsSync(join(moduleDir, `${name}.so`)),
  );
  const [port, tlsPort] = await Promise.all([freePort(), options.tls ? freePort() : Promise.resolve(null)]);
  const caFile = tlsPort === null ? null : await makeCertificate(dir);

  await mkdir(join(dir, 'data'));
  const config = join(dir, 'slapd.conf');
  await writeFile(config, slapdConfig({ dir, baseDn, adminDn, adminPassword, overlays, tls: caFile !== null }));
  const ldif = join(dir, 'init.ldif');
  await writeFile(ldif, initialEntries(baseDn, peopleDn, groupsDn, groups));
  // slapadd loads the data offline, before the first start: faster than a client and needs no bind.
  await run(slapaddBinary, ['-q', '-f', config, '-l', ldif]);

  const url = `ldap://127.0.0.1:${port}/`;
  const ldapsUrl = tlsPort === null ? null : `ldaps://127.0.0.1:${tlsPort}/`;
  const listen = [url, ...(ldapsUrl ? [ldapsUrl] : [])].join(' ');
  let child: ChildProcess | null = null;
  let watchdog: ChildProcess | null = null;
  let destroyed = false;

  const stopWith = async (signal: NodeJS.Signals): Promise<void> => {
    const current = child;
    if (!current) return;
    child = null;
    await terminate(current, signal);
    live.delete(current);
    stopSlapdWatchdog(watchdog);
    watchdog = null;
  };

  const slapd: Slapd = {
    url,
    ldapsUrl,
    caFile,
    baseDn,
    adminDn,
    adminPassword,
    peopleDn,
    groupsDn,
    groups,
    overlays,
    dir,
    get running() {
      return child !== null;
    },
    async start() {
      if (destroyed) throw new Error('slapd fixture: start() after destroy()');
      if (child) return;
      const started = await launchSlapd(config, listen, port);
      child = started;
      live.add(started);
      watchdog = startSlapdWatchdog(started, dir);
    },
    stop: () => stopWith('SIGINT'),
    kill: () => stopWith('SIGKILL'),
    async pause() {
      if (!child?.pid) return;
      child.kill('SIGSTOP');
      await allThreadsStopped(child.pid);
    },
    resume() {
      child?.kill('SIGCONT');
    },
    async destroy() {
      destroyed = true;
      await stopWith('SIGINT');
      await rm(dir, { recursive: true, force: true });
    },
  };
  installExitHook();
  await slapd.start();
  return slapd;
}

function slapdConfig(c: {
  dir: string;
  baseDn: string;
  adminDn: string;
  adminPassword: string;
  overlays: readonly string[];
  tls: boolean;
}): string {
  return [
    ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include ${schemaDir}/${s}.schema`),
    `modulepath ${moduleDir}`,
    'moduleload back_mdb.so',
    ...c.overlays.map((o) => `moduleload ${o}.so`),
    `pidfile ${join(c.dir, 'slapd.pid')}`,
    `argsfile ${join(c.dir, 'slapd.args')}`,
    'sizelimit unlimited',
    ...(c.tls
      ? [
          `TLSCACertificateFile ${join(c.dir, 'ca.pem')}`,
          `TLSCertificateFile ${join(c.dir, 'ca.pem')}`,
          `TLSCertificateKeyFile ${join(c.dir, 'key.pem')}`,
        ]
      : []),
    'database mdb',
    // 1 GiB of address space, not of disk: room for the bulk tests without resizing.
    'maxsize 1073741824',
    `suffix "${c.baseDn}"`,
    `rootdn "${c.adminDn}"`,
    `rootpw ${c.adminPassword}`,
    `directory ${join(c.dir, 'data')}`,
    // A throwaway server: durability against an OS crash is not worth an fsync per write.
    'dbnosync',
    'index objectClass eq',
    'index uid,cn,memberUid eq',
    'index member,uniqueMember eq',
    'index entryCSN eq',
    ...c.overlays.map((o) => `overlay ${o}`),
    '',
  ].join('\n');
}

function initialEntries(baseDn: string, peopleDn: string, groupsDn: string, groups: SlapdGroups): string {
  // groupOfNames and groupOfUniqueNames must have a member: each group starts as its own member,
  // the same placeholder the LDAP connector uses by default for an emptied group.
  return `dn: ${baseDn}
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: ${peopleDn}
objectClass: organizationalUnit
ou: people

dn: ${groupsDn}
objectClass: organizationalUnit
ou: groups

dn: ${groups.staff}
objectClass: groupOfNames
cn: staff
member: ${groups.staff}

dn: ${groups.admins}
objectClass: groupOfNames
cn: admins
member: ${groups.admins}

dn: ${groups.auditors}
objectClass: groupOfUniqueNames
cn: auditors
uniqueMember: ${groups.auditors}

dn: ${groups.developers}
objectClass: posixGroup
cn: developers
gidNumber: 5000

`;
}

/** A self-signed certificate for 127.0.0.1 (its own CA), written as ca.pem and key.pem. */
async function makeCertificate(dir: string): Promise<string> {
  const caFile = join(dir, 'ca.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    caFile,
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  return caFile;
}

/** Stopping is asynchronous for a busy multi-threaded process: wait until no thread runs. */
async function allThreadsStopped(pid: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const threads = await readdir(`/proc/${pid}/task`).catch(() => []);
    const states = await Promise.all(
      threads.map((t) => readFile(`/proc/${pid}/task/${t}/stat`, 'utf8').catch(() => ') T')),
    );
    // The state is the field after the command name, which is in parentheses.
    if (states.every((stat) => /\)\s+[Tt]\s/.test(stat))) return;
    if (Date.now() > deadline) throw new Error(`slapd (pid ${pid}) did not stop within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGCONT');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
