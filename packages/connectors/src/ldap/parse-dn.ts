import { escapeDnValue } from './escape-dn-value.ts';

/** One `type=value` of a relative DN, with the value unescaped. */
export interface DnAttribute {
  readonly type: string;
  readonly value: string;
  /** The value was written `#hex` (BER encoded): it is kept as that text, not decoded. */
  readonly ber?: boolean;
}

/** A relative DN: one or more attributes joined by `+`. */
export type RelativeDn = readonly DnAttribute[];

const typePattern = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)/;
/** Characters that may follow a backslash as themselves (RFC 4514 `escaped`, plus the space). */
const escapable = new Set([' ', '"', '#', '+', ',', ';', '<', '=', '>', '\\']);

/**
 * Parses a DN string (RFC 4514; spaces around separators and `;` as a separator are accepted, as
 * older servers write them). Returns the relative DNs from the leaf up, or null when the text is
 * not a DN. The empty string is the root DN: `[]`.
 */
export function parseDn(dn: string): RelativeDn[] | null {
  const rdns: RelativeDn[] = [];
  let current: DnAttribute[] = [];
  let pos = skipSpaces(dn, 0);
  if (pos === dn.length) return [];
  for (;;) {
    const type = typePattern.exec(dn.slice(pos))?.[0];
    if (!type) return null;
    pos = skipSpaces(dn, pos + type.length);
    if (dn[pos] !== '=') return null;
    pos = skipSpaces(dn, pos + 1);
    const value = dn[pos] === '#' ? readBerValue(dn, pos) : readStringValue(dn, pos);
    if (!value) return null;
    current.push(value.ber ? { type, value: value.text, ber: true } : { type, value: value.text });
    pos = value.end;
    if (pos === dn.length) break;
    const separator = dn[pos];
    pos = skipSpaces(dn, pos + 1);
    if (pos === dn.length) return null;
    if (separator === ',' || separator === ';') {
      rdns.push(current);
      current = [];
    } else if (separator !== '+') return null;
  }
  rdns.push(current);
  return rdns;
}

/** Writes relative DNs back as a DN string, escaped as {@link escapeDnValue} does. */
export function formatDn(rdns: readonly RelativeDn[]): string {
  return rdns.map(formatRdn).join(',');
}

export function formatRdn(rdn: RelativeDn): string {
  return rdn.map((a) => `${a.type}=${a.ber ? a.value : escapeDnValue(a.value)}`).join('+');
}

/**
 * A comparison key for DNs: attribute types and values in lower case, insignificant spaces
 * removed, the attributes of a multi-valued RDN sorted. Naming attributes (cn, uid, ou, dc...)
 * compare case-insensitively on every common server, so two DNs with the same key name the same
 * entry. Text that is not a DN is only trimmed and lower-cased.
 */
export function normalizeDn(dn: string): string {
  let normalized = normalizedCache.get(dn);
  if (normalized === undefined) {
    // Exports normalise every entry's DN for each group type: remember recent answers, enough of
    // them that an export of 100,000 entries does not recompute each one.
    if (normalizedCache.size >= 200_000) normalizedCache.clear();
    normalized = computeNormalizedDn(dn);
    normalizedCache.set(dn, normalized);
  }
  return normalized;
}

const normalizedCache = new Map<string, string>();

function computeNormalizedDn(dn: string): string {
  const rdns = parseDn(dn);
  if (!rdns) return dn.trim().toLowerCase();
  return rdns
    .map((rdn) =>
      rdn
        .map((a) => `${a.type.toLowerCase()}=${a.ber ? a.value.toLowerCase() : escapeDnValue(normalizeValue(a.value))}`)
        .sort()
        .join('+'),
    )
    .join(',');
}

/** The DN one level up (`ou=people,dc=example` for `uid=bob,ou=people,dc=example`), or null. */
export function parentDn(dn: string): string | null {
  const rdns = parseDn(dn);
  return rdns && rdns.length > 0 ? formatDn(rdns.slice(1)) : null;
}

/** Whether `dn` is `base` or below it. */
export function isWithin(dn: string, base: string): boolean {
  const child = normalizeDn(dn);
  const parent = normalizeDn(base);
  return parent === '' || child === parent || child.endsWith(`,${parent}`);
}

function normalizeValue(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function skipSpaces(text: string, pos: number): number {
  while (text[pos] === ' ') pos += 1;
  return pos;
}

function readBerValue(dn: string, start: number): { text: string; end: number; ber: true } | null {
  const hex = /^#([0-9A-Fa-f]{2})+/.exec(dn.slice(start))?.[0];
  if (!hex) return null;
  return { text: hex, end: skipSpaces(dn, start + hex.length), ber: true };
}

function readStringValue(dn: string, start: number): { text: string; end: number; ber?: false } | null {
  let text = '';
  // Consecutive \XX escapes are the bytes of one UTF-8 sequence: decoded together.
  let bytes: number[] | null = null;
  // Length of `text` up to the last character that counts: unescaped trailing spaces do not.
  let significant = 0;
  let pos = start;
  while (pos < dn.length) {
    const char = dn[pos]!;
    if (char === ',' || char === '+' || char === ';') break;
    if (char === '"' || char === '<' || char === '>' || char === '\0') return null;
    if (char === '\\' && isHexPair(dn, pos + 1)) {
      (bytes ??= []).push(Number.parseInt(dn.slice(pos + 1, pos + 3), 16));
      pos += 3;
      continue;
    }
    if (bytes) {
      text += Buffer.from(bytes).toString('utf8');
      significant = text.length;
      bytes = null;
    }
    if (char === '\\') {
      if (!escapable.has(dn[pos + 1] ?? '')) return null;
      text += dn[pos + 1];
      significant = text.length;
      pos += 2;
      continue;
    }
    text += char;
    if (char !== ' ') significant = text.length;
    pos += 1;
  }
  if (bytes) {
    text += Buffer.from(bytes).toString('utf8');
    significant = text.length;
  }
  return { text: text.slice(0, significant), end: pos };
}

function isHexPair(text: string, pos: number): boolean {
  return isHex(text.charCodeAt(pos)) && isHex(text.charCodeAt(pos + 1));
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}
