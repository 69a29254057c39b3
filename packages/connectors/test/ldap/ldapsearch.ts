import { execFile } from 'node:child_process';
import type { Slapd } from '../support/slapd.ts';

/** One entry of ldapsearch's LDIF output, attribute names lower-cased. */
export interface LdifEntry {
  readonly dn: string;
  readonly attributes: ReadonlyMap<string, readonly string[]>;
}

/**
 * Searches with OpenLDAP's own `ldapsearch`, bound as the admin: the independent client that
 * checks what the connector wrote. Resolves to no entries when the base does not exist.
 */
export function ldapsearch(
  slapd: Slapd,
  base: string,
  filter = '(objectClass=*)',
  attributes: readonly string[] = [],
  scope: 'base' | 'one' | 'sub' = 'sub',
): Promise<LdifEntry[]> {
  const args = ['-x', '-LLL', '-H', slapd.url, '-D', slapd.adminDn, '-w', slapd.adminPassword];
  args.push('-b', base, '-s', scope, '-z', '0', filter, ...attributes);
  return new Promise((resolve, reject) => {
    execFile('ldapsearch', args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && error.code === 32) resolve([]);
      else if (error) reject(new Error(`ldapsearch -b ${base} ${filter} failed (${error.code}): ${stderr.trim()}`));
      else resolve(parseLdif(stdout));
    });
  });
}

/** Applies LDIF changes with `ldapmodify` as the admin (`-a`: records without changetype are adds). */
export function ldapmodify(slapd: Slapd, ldif: string): Promise<void> {
  const args = ['-x', '-a', '-H', slapd.url, '-D', slapd.adminDn, '-w', slapd.adminPassword];
  return new Promise((resolve, reject) => {
    const child = execFile('ldapmodify', args, (error, _stdout, stderr) => {
      if (error) reject(new Error(`ldapmodify failed (${error.code}): ${stderr.trim()}`));
      else resolve();
    });
    child.stdin?.end(ldif);
  });
}

/**
 * Parses LDIF (RFC 2849) as ldapsearch writes it: records separated by blank lines, long lines
 * folded with a leading space, `attr:: base64` for values that are not plain ASCII.
 */
export function parseLdif(text: string): LdifEntry[] {
  const unfolded = text.replace(/\r?\n /g, '');
  const entries: LdifEntry[] = [];
  for (const record of unfolded.split(/\r?\n\s*\r?\n/)) {
    let dn: string | null = null;
    const attributes = new Map<string, string[]>();
    for (const line of record.split(/\r?\n/)) {
      if (line === '' || line.startsWith('#')) continue;
      const match = /^([^:]+)(::?)\s?(.*)$/.exec(line);
      if (!match) throw new Error(`not an LDIF line: ${line}`);
      const [, name, separator, raw] = match as unknown as [string, string, string, string];
      const value = separator === '::' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      if (name.toLowerCase() === 'dn') dn = value;
      else {
        const key = name.toLowerCase();
        attributes.set(key, [...(attributes.get(key) ?? []), value]);
      }
    }
    if (dn !== null) entries.push({ dn, attributes });
  }
  return entries;
}
