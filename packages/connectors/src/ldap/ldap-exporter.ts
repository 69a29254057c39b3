import type { Entry, SearchResult } from 'ldapts';
import type { ExportOutcome, ExportPage, ExportRequest, ObjectState } from '../connector.ts';
import { ConnectorError } from '../connector-error.ts';
import {
  changedSince,
  changedSinceFilter,
  changeStampAttributes,
  changeStampOf,
  isChangeStamp,
  laterStamp,
} from './change-stamp.ts';
import { escapeFilterValue } from './escape-filter-value.ts';
import type { LdapDirectory } from './ldap-directory.ts';
import { attributeValues, type LdapEntityMapping } from './ldap-entity-mapping.ts';
import type { LdapGroupMembers } from './ldap-group-members.ts';
import { type LinkSource, linkAttributes, toObjectState } from './ldap-reader.ts';
import type { LdapSession } from './ldap-session.ts';
import { isWithin, normalizeDn } from './parse-dn.ts';

/** Who is in which group, read in one pass over a group type's entries. */
interface MembershipIndex {
  readonly members: LdapGroupMembers;
  /** Comparable member value → DNs of the groups holding it. */
  readonly groupsByValue: Map<string, string[]>;
  /** Incremental: comparable → raw member values of groups changed since the cookie. */
  readonly touched: Map<string, string>;
}

/** Page size of the exporter's own helper searches (groups, name lookups). */
const helperPageSize = 1000;

/**
 * Exports an entity type with a paged search under its container.
 *
 * Memberships of accounts are computed from one search of each group type per export (not one
 * search per account), from the groups' member values, so the result does not depend on a
 * memberOf overlay.
 *
 * Incremental exports ask for `(modifyTimestamp>=cookie)` (see change-stamp.ts). Deletions leave
 * no timestamp, so incremental results never list deleted keys: the complete export is the
 * backstop that finds them. Membership changes are made on group entries and do not touch the
 * account's timestamp either: the accounts that are members of a group changed since the cookie
 * are exported again with all their groups, which catches additions; a removal from a group is
 * seen by the next complete export. The cookie is the directory's `contextCSN` read before the
 * search when the server keeps one, so changes made while the export runs are not skipped next
 * time; otherwise it is the newest change stamp seen.
 */
export class LdapExporter {
  constructor(private readonly directory: LdapDirectory) {}

  async export(request: ExportRequest, onPage: (page: ExportPage) => Promise<void>): Promise<ExportOutcome> {
    const mapping = this.directory.mapping(request.entityType);
    const pageSize = Math.max(1, Math.floor(request.pageSize ?? this.directory.settings.pageSize));
    const since =
      request.mode === 'incremental' && request.cookie !== null && isChangeStamp(request.cookie)
        ? request.cookie
        : null;
    const session = this.directory.session();
    try {
      // A server that will not tell its contextCSN still exports: the cookie then comes from the entries.
      const start = await this.directory
        .contextStamp(session, mapping.settings.container)
        .catch((error: unknown) => (isRefusal(error) ? null : Promise.reject(error)));
      const indexes = new Map<string, MembershipIndex>();
      for (const navigation of this.directory.memberships(mapping)) {
        if (!indexes.has(navigation.groupType)) {
          indexes.set(navigation.groupType, await this.indexMemberships(session, navigation.groupType, since));
        }
      }
      const links = this.indexedLinks(session, indexes);
      const attributes = [
        ...new Set([
          ...mapping.attributesOf(mapping.readableProperties()),
          ...linkAttributes(this.directory, mapping),
          ...changeStampAttributes,
        ]),
      ];

      let newest: string | null = null;
      const exported = new Set<string>();
      await searchPages(
        session,
        `export of ${mapping.id}`,
        mapping.settings.container,
        since ? mapping.filterWith(changedSinceFilter(since)) : mapping.filter,
        attributes,
        pageSize,
        async (entries) => {
          const objects: ObjectState[] = [];
          for (const entry of entries) {
            const stamp = changeStampOf(entry);
            newest = laterStamp(newest, stamp);
            if (since !== null && !changedSince(stamp, since)) continue;
            objects.push(await toObjectState(this.directory, mapping, entry, links));
            // Only an incremental export looks for accounts it did not export itself.
            if (since !== null) exported.add(normalizeDn(entry.dn));
          }
          await onPage({ objects });
        },
      );
      if (since !== null) {
        const regrouped = await this.regroupedAccounts(session, mapping, indexes, exported, attributes);
        for (let i = 0; i < regrouped.length; i += pageSize) {
          const objects: ObjectState[] = [];
          for (const entry of regrouped.slice(i, i + pageSize)) {
            objects.push(await toObjectState(this.directory, mapping, entry, links));
          }
          await onPage({ objects });
        }
      }
      return { mode: since === null ? 'complete' : 'incremental', cookie: start ?? newest ?? since };
    } finally {
      session.end();
    }
  }

  private async indexMemberships(
    session: LdapSession,
    groupType: string,
    since: string | null,
  ): Promise<MembershipIndex> {
    const members = this.directory.members(groupType);
    const groupsByValue = new Map<string, string[]>();
    const touched = new Map<string, string>();
    const { attribute } = members.storage;
    await searchPages(
      session,
      `export of ${groupType} memberships`,
      members.group.settings.container,
      members.group.filter,
      [attribute, ...changeStampAttributes],
      helperPageSize,
      async (entries) => {
        for (const group of entries) {
          const changed = since !== null && changedSince(changeStampOf(group), since);
          for (const value of attributeValues(group, attribute)) {
            if (members.isPlaceholder(group.dn, value)) continue;
            const comparable = members.comparable(value);
            const list = groupsByValue.get(comparable);
            if (list) list.push(group.dn);
            else groupsByValue.set(comparable, [group.dn]);
            if (changed) touched.set(comparable, value);
          }
        }
      },
    );
    for (const list of groupsByValue.values()) list.sort();
    return { members, groupsByValue, touched };
  }

  /** Links from the prepared indexes; member names of groups are looked up once per export. */
  private indexedLinks(session: LdapSession, indexes: ReadonlyMap<string, MembershipIndex>): LinkSource {
    const directory = this.directory;
    const names = new Map<string, Promise<Map<string, string>>>();
    return {
      async groupsOf(navigation, entry) {
        const index = indexes.get(navigation.groupType)!;
        const stored = index.members.storage.value;
        const value = stored === 'dn' ? normalizeDn(entry.dn) : attributeValues(entry, stored.attribute)[0];
        return value === undefined ? [] : [...(index.groupsByValue.get(value) ?? [])];
      },
      async accountsNamed(groupType, navigation, wanted) {
        const key = `${groupType}\u0000${navigation.accountType}`;
        let lookup = names.get(key);
        if (!lookup) {
          lookup = allAccountNames(directory, session, groupType, navigation.accountType);
          names.set(key, lookup);
        }
        const byName = await lookup;
        return wanted.flatMap((n) => byName.get(n) ?? []).sort();
      },
    };
  }

  /**
   * Incremental: accounts that are members of groups changed since the cookie and were not
   * exported yet (their own entry did not change), read by DN or, for name members, by OR-search.
   */
  private async regroupedAccounts(
    session: LdapSession,
    mapping: LdapEntityMapping,
    indexes: ReadonlyMap<string, MembershipIndex>,
    exported: ReadonlySet<string>,
    attributes: readonly string[],
  ): Promise<Entry[]> {
    const found = new Map<string, Entry>();
    const keep = (entry: Entry) => {
      const comparable = normalizeDn(entry.dn);
      if (!exported.has(comparable) && isWithin(entry.dn, mapping.settings.container)) found.set(comparable, entry);
    };
    for (const index of indexes.values()) {
      const stored = index.members.storage.value;
      const values = [...index.touched.values()];
      if (stored === 'dn') {
        const dns = values.filter((dn) => !exported.has(normalizeDn(dn)));
        for (let i = 0; i < dns.length; i += 16) {
          const entries = await Promise.all(
            dns.slice(i, i + 16).map((dn) =>
              session
                .read(`read of ${dn}`, (c) =>
                  c.search(dn, { scope: 'base', filter: mapping.filter, attributes: [...attributes] }),
                )
                .then((r) => r.searchEntries[0] ?? null)
                // A member value that names no entry (deleted, or not a DN at all) is nobody to export.
                .catch((error: unknown) => (isMissing(error) ? null : Promise.reject(error))),
            ),
          );
          for (const entry of entries) if (entry) keep(entry);
        }
      } else {
        for (let i = 0; i < values.length; i += 100) {
          const clauses = values
            .slice(i, i + 100)
            .map((n) => `(${stored.attribute}=${escapeFilterValue(n)})`)
            .join('');
          const result = await session.read(`search of ${mapping.id} by ${stored.attribute}`, (c) =>
            c.search(mapping.settings.container, {
              scope: 'sub',
              filter: mapping.filterWith(`(|${clauses})`),
              attributes: [...attributes],
            }),
          );
          for (const entry of result.searchEntries) keep(entry);
        }
      }
    }
    return [...found.values()];
  }
}

/** Member name → account DN for every account of the type (name lookups of a group export). */
async function allAccountNames(
  directory: LdapDirectory,
  session: LdapSession,
  groupType: string,
  accountType: string,
): Promise<Map<string, string>> {
  const stored = directory.members(groupType).storage.value;
  const result = new Map<string, string>();
  if (stored === 'dn') return result;
  const accounts = directory.mapping(accountType);
  await searchPages(
    session,
    `export of ${accountType} names`,
    accounts.settings.container,
    accounts.filter,
    [stored.attribute],
    helperPageSize,
    async (entries) => {
      for (const entry of entries) {
        for (const name of attributeValues(entry, stored.attribute)) result.set(name, entry.dn);
      }
    },
  );
  return result;
}

/** Runs a paged search, handing each page to `onEntries` before asking for the next one. */
async function searchPages(
  session: LdapSession,
  what: string,
  base: string,
  filter: string,
  attributes: readonly string[],
  pageSize: number,
  onEntries: (entries: readonly Entry[]) => Promise<void>,
): Promise<void> {
  const pages = await session.read(what, async (c) =>
    c.searchPaginated(base, { scope: 'sub', filter, attributes: [...attributes], paged: { pageSize } }),
  );
  try {
    for (;;) {
      const step: IteratorResult<SearchResult> = await session.read(what, () => pages.next());
      if (step.done) break;
      // The consumer's own failure is its own: it leaves unclassified.
      await onEntries(step.value.searchEntries);
    }
  } finally {
    await pages.return(undefined).catch(() => undefined);
  }
}

function isRefusal(error: unknown): boolean {
  return error instanceof ConnectorError && (error.kind === 'permission' || error.kind === 'unknown');
}

function isMissing(error: unknown): boolean {
  return error instanceof ConnectorError && (error.kind === 'not_found' || error.kind === 'schema');
}
