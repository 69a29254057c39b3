import type { Entry } from 'ldapts';
import { attributeValues } from './ldap-entity-mapping.ts';

/**
 * Incremental export cookies. A cookie is a change stamp: OpenLDAP's `entryCSN` or
 * `contextCSN` (`20240131120000.123456Z#000000#000#000000`, microseconds plus a counter, so it
 * orders changes within a second), or a `modifyTimestamp` (`20240131120000Z`, seconds only) on
 * servers without CSNs. The server is asked for `(modifyTimestamp>=second of the cookie)`, which
 * every server answers; entries whose CSN is not after the cookie are then dropped, so objects
 * seen by the last export are not sent again. With timestamps alone an object changed in the
 * cookie's second is sent again: repeated objects are harmless, missed ones are not.
 */
const stampPattern = /^(\d{14})(?:[.,]\d+)?Z(?:#[0-9a-f]+#[0-9a-f]+#[0-9a-f]+)?$/i;

/** Attributes to request to know when an entry last changed. */
export const changeStampAttributes = ['entryCSN', 'modifyTimestamp'] as const;

/** When the entry last changed: its CSN when the server keeps one, else its modifyTimestamp. */
export function changeStampOf(entry: Entry): string | null {
  return attributeValues(entry, 'entryCSN')[0] ?? attributeValues(entry, 'modifyTimestamp')[0] ?? null;
}

/** Whether text is a cookie this connector issued. */
export function isChangeStamp(text: string): boolean {
  return stampPattern.test(text);
}

/** The filter clause selecting entries changed in or after the cookie's second. */
export function changedSinceFilter(cookie: string): string {
  return `(modifyTimestamp>=${cookie.slice(0, 14)}Z)`;
}

/** Whether a change stamp is after the cookie (at or after, when either has only seconds). */
export function changedSince(stamp: string | null, cookie: string): boolean {
  if (stamp === null || !isChangeStamp(stamp)) return true;
  if (isCsn(stamp) && isCsn(cookie)) return stamp > cookie;
  return stamp.slice(0, 14) >= cookie.slice(0, 14);
}

/** The later of two stamps (null = none). */
export function laterStamp(a: string | null, b: string | null): string | null {
  if (a === null || !isChangeStamp(a)) return b;
  if (b === null || !isChangeStamp(b)) return a;
  return a > b ? a : b;
}

function isCsn(stamp: string): boolean {
  return stamp.includes('#');
}
