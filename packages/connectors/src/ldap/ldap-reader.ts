import type { Entry } from 'ldapts';
import type { ObjectState, ReadRequest } from '../connector.ts';
import { escapeFilterValue } from './escape-filter-value.ts';
import type { LdapDirectory } from './ldap-directory.ts';
import { attributeValues, type LdapEntityMapping } from './ldap-entity-mapping.ts';
import type { LdapSession } from './ldap-session.ts';
import type { LdapNavigation } from './parse-ldap-settings.ts';

/** Where an object's links come from: searches for one read, prepared indexes for an export. */
export interface LinkSource {
  /** Group DNs holding the account (membership navigation). */
  groupsOf(navigation: Extract<LdapNavigation, { kind: 'membership' }>, entry: Entry): Promise<string[]>;
  /** Account DNs for the member names (memberUid values) of a group of `groupType`. */
  accountsNamed(
    groupType: string,
    navigation: Extract<LdapNavigation, { kind: 'members' }>,
    names: readonly string[],
  ): Promise<string[]>;
}

/** Attributes an object's links need on its own entry: references, member values, group members. */
export function linkAttributes(directory: LdapDirectory, mapping: LdapEntityMapping): string[] {
  const result = new Set(directory.memberValueAttributes(mapping));
  for (const navigation of mapping.settings.navigations) {
    if (navigation.kind === 'reference') result.add(navigation.attribute);
    if (navigation.kind === 'members') result.add(directory.members(mapping.id).storage.attribute);
  }
  return [...result];
}

/** An entry as an Ordo object: the given properties (default all but the password) and every link. */
export async function toObjectState(
  directory: LdapDirectory,
  mapping: LdapEntityMapping,
  entry: Entry,
  links: LinkSource,
  properties?: readonly string[],
): Promise<ObjectState> {
  const result: Record<string, string[]> = {};
  for (const navigation of mapping.settings.navigations) {
    if (navigation.kind === 'membership') {
      result[navigation.property] = await links.groupsOf(navigation, entry);
    } else if (navigation.kind === 'reference') {
      result[navigation.property] = [...attributeValues(entry, navigation.attribute)];
    } else {
      const members = directory.members(mapping.id);
      const values = attributeValues(entry, members.storage.attribute).filter(
        (v) => !members.isPlaceholder(entry.dn, v),
      );
      result[navigation.property] = members.byDn ? values : await links.accountsNamed(mapping.id, navigation, values);
    }
  }
  return { entityType: mapping.id, key: entry.dn, values: mapping.valuesOf(entry, properties), links: result };
}

/** Reads one object: a base-scope search of its DN, and a group search per membership navigation. */
export class LdapReader {
  constructor(private readonly directory: LdapDirectory) {}

  async read(request: ReadRequest): Promise<ObjectState | null> {
    const mapping = this.directory.mapping(request.entityType);
    const dn = this.directory.dnOf(mapping, request.key);
    const session = this.directory.session();
    try {
      const attributes = [
        ...new Set([...mapping.attributesOf(request.properties), ...linkAttributes(this.directory, mapping)]),
      ];
      const entry = await this.directory.readEntry(session, dn, attributes);
      if (!entry) return null;
      return await toObjectState(this.directory, mapping, entry, this.searchLinks(session), request.properties);
    } finally {
      session.end();
    }
  }

  /** Links found by searching, for one object. */
  private searchLinks(session: LdapSession): LinkSource {
    const directory = this.directory;
    return {
      async groupsOf(navigation, entry) {
        const members = directory.members(navigation.groupType);
        const stored = members.storage.value;
        const value = stored === 'dn' ? entry.dn : attributeValues(entry, stored.attribute)[0];
        return value === undefined ? [] : members.groupsWith(session, value);
      },
      async accountsNamed(groupType, navigation, names) {
        return findAccountsByName(directory, session, groupType, navigation.accountType, names);
      },
    };
  }
}

/** DNs of the accounts whose member-value attribute holds one of the names, by OR-searches of 100. */
export async function findAccountsByName(
  directory: LdapDirectory,
  session: LdapSession,
  groupType: string,
  accountType: string,
  names: readonly string[],
): Promise<string[]> {
  const accounts = directory.mapping(accountType);
  const stored = directory.members(groupType).storage.value;
  if (stored === 'dn' || names.length === 0) return [];
  const found: string[] = [];
  for (let i = 0; i < names.length; i += 100) {
    const clauses = names
      .slice(i, i + 100)
      .map((n) => `(${stored.attribute}=${escapeFilterValue(n)})`)
      .join('');
    const result = await session.read(`search of ${accounts.id} by ${stored.attribute}`, (c) =>
      c.search(accounts.settings.container, {
        scope: 'sub',
        filter: accounts.filterWith(`(|${clauses})`),
        attributes: ['1.1'],
      }),
    );
    found.push(...result.searchEntries.map((e) => e.dn));
  }
  return found.sort();
}
