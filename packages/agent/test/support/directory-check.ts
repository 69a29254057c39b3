import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Slapd } from '../../../connectors/test/support/slapd.ts';

const run = promisify(execFile);

/** Values of one attribute of the entries a filter finds, read with ldapsearch: not through Ordo. */
export async function ldapValues(
  slapd: Slapd,
  base: string,
  filter: string,
  attribute: string,
  scope: 'sub' | 'base' = 'sub',
): Promise<string[]> {
  const { stdout } = await run(
    'ldapsearch',
    ['-x', '-LLL', '-o', 'ldif-wrap=no', '-H', slapd.url, '-D', slapd.adminDn, '-w', slapd.adminPassword].concat([
      '-b',
      base,
      '-s',
      scope,
      '-z',
      '0',
      filter,
      attribute,
    ]),
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const prefix = `${attribute}: `;
  return stdout
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length).trim());
}

/** The uid of every account under a container. */
export function uidsIn(slapd: Slapd, container: string): Promise<string[]> {
  return ldapValues(slapd, container, '(objectClass=inetOrgPerson)', 'uid');
}

/** Adds entries from LDIF with ldapadd, as an administrator would (e.g. a container for a test). */
export function ldapAdd(slapd: Slapd, ldif: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = execFile(
      'ldapadd',
      ['-x', '-H', slapd.url, '-D', slapd.adminDn, '-w', slapd.adminPassword],
      (error) => (error ? reject(error) : resolve()),
    );
    child.stdin?.end(ldif);
  });
}

/** An organizational unit under the directory's base, for one test's accounts; its DN. */
export async function addContainer(slapd: Slapd, name: string): Promise<string> {
  const dn = `ou=${name},${slapd.baseDn}`;
  await ldapAdd(slapd, `dn: ${dn}\nobjectClass: organizationalUnit\nou: ${name}\n`);
  return dn;
}
