import type { Entry } from 'ldapts';
import { ConnectorError } from '../connector-error.ts';
import { ldapResultCode } from './classify-ldap-error.ts';
import { LdapClientPool } from './ldap-client-pool.ts';
import { attributeValues, LdapEntityMapping } from './ldap-entity-mapping.ts';
import { LdapGroupMembers } from './ldap-group-members.ts';
import { LdapSession } from './ldap-session.ts';
import { formatDn, isWithin, parseDn } from './parse-dn.ts';
import type { LdapNavigation, LdapSettings } from './parse-ldap-settings.ts';

const noSuchObject = 32;

export type MembershipNavigation = Extract<LdapNavigation, { kind: 'membership' }>;

/**
 * What the connector's reads and writes share: the settings, the connection pool, the mapping of
 * each entity type and the member storage of each group type, and the lookups they all need.
 */
export class LdapDirectory {
  readonly pool: LdapClientPool;
  readonly mappings: ReadonlyMap<string, LdapEntityMapping>;
  readonly groupMembers: ReadonlyMap<string, LdapGroupMembers>;
  private namingContexts: Promise<readonly string[]> | null = null;

  constructor(readonly settings: LdapSettings) {
    this.pool = new LdapClientPool(settings);
    const mappings = new Map<string, LdapEntityMapping>();
    const groupMembers = new Map<string, LdapGroupMembers>();
    for (const [id, entity] of Object.entries(settings.entityTypes)) {
      const mapping = new LdapEntityMapping(id, entity, settings.connectionId);
      mappings.set(id, mapping);
      if (entity.role === 'group') groupMembers.set(id, new LdapGroupMembers(mapping));
    }
    this.mappings = mappings;
    this.groupMembers = groupMembers;
  }

  get connectionId(): string {
    return this.settings.connectionId;
  }

  session(): LdapSession {
    return new LdapSession(this.pool, this.connectionId);
  }

  mapping(entityType: string): LdapEntityMapping {
    const mapping = this.mappings.get(entityType);
    if (!mapping) {
      throw new ConnectorError(`connection ${this.connectionId} does not serve entity type "${entityType}"`, {
        kind: 'configuration',
      });
    }
    return mapping;
  }

  members(groupType: string): LdapGroupMembers {
    return this.groupMembers.get(groupType)!;
  }

  /** The key as a DN in this connector's escaping, or a `schema` error when it is not one. */
  dnOf(mapping: LdapEntityMapping, key: string): string {
    const rdns = parseDn(key);
    if (!rdns || rdns.length === 0) {
      throw new ConnectorError(`connection ${this.connectionId}: the ${mapping.id} key "${key}" is not a DN`, {
        kind: 'schema',
        applied: 'no',
      });
    }
    return formatDn(rdns);
  }

  /** One entry with the given attributes, or null when it does not exist. */
  async readEntry(session: LdapSession, dn: string, attributes: readonly string[]): Promise<Entry | null> {
    try {
      const result = await session.read(`read of ${dn}`, (c) =>
        c.search(dn, {
          scope: 'base',
          filter: '(objectClass=*)',
          attributes: attributes.length ? [...attributes] : ['1.1'],
        }),
      );
      return result.searchEntries[0] ?? null;
    } catch (error) {
      if (ldapResultCode((error as Error).cause) === noSuchObject) return null;
      throw error;
    }
  }

  /** Membership navigations of an account type (links stored on group entries). */
  memberships(mapping: LdapEntityMapping): MembershipNavigation[] {
    return mapping.settings.navigations.filter((n): n is MembershipNavigation => n.kind === 'membership');
  }

  /** Account attributes whose values some group type stores as member values (uid for memberUid). */
  memberValueAttributes(mapping: LdapEntityMapping): string[] {
    const result = new Set<string>();
    for (const navigation of this.memberships(mapping)) {
      const { value } = this.members(navigation.groupType).storage;
      if (value !== 'dn') result.add(value.attribute);
    }
    return [...result];
  }

  /**
   * What a group of this type stores for the account: its DN, or the value of an attribute of the
   * account entry (read when `entry` does not have it).
   */
  async memberValueOf(
    session: LdapSession,
    members: LdapGroupMembers,
    accountDn: string,
    entry: Entry | null,
  ): Promise<string> {
    const { value } = members.storage;
    if (value === 'dn') return accountDn;
    let found = entry ? attributeValues(entry, value.attribute)[0] : undefined;
    if (found === undefined) {
      const read = await this.readEntry(session, accountDn, [value.attribute]);
      // A deleted account still names itself: uid=bob,... gives bob.
      found = read ? attributeValues(read, value.attribute)[0] : rdnValue(accountDn, value.attribute);
      if (!read && found === undefined) {
        throw new ConnectorError(`connection ${this.connectionId}: member ${accountDn} does not exist`, {
          kind: 'not_found',
          applied: session.changed ? 'maybe' : 'no',
        });
      }
    }
    if (found === undefined) {
      throw new ConnectorError(
        `connection ${this.connectionId}: ${accountDn} has no ${value.attribute}, which ${members.group.id} groups store in ${members.storage.attribute}`,
        { kind: 'schema', applied: session.changed ? 'maybe' : 'no' },
      );
    }
    return found;
  }

  /**
   * The newest change stamp of the naming context holding `dn` (`contextCSN`, kept by the
   * syncprov overlay and by any replicated OpenLDAP), read before an export starts: changes made
   * while the export runs are then after the cookie. null when the server keeps none.
   */
  async contextStamp(session: LdapSession, dn: string): Promise<string | null> {
    const contexts = await this.readNamingContexts(session);
    const context = contexts.filter((c) => isWithin(dn, c)).sort((a, b) => b.length - a.length)[0];
    if (context === undefined) return null;
    const entry = await this.readEntry(session, context, ['contextCSN']).catch(() => null);
    if (!entry) return null;
    const stamps = [...attributeValues(entry, 'contextCSN')].sort();
    return stamps[stamps.length - 1] ?? null;
  }

  private readNamingContexts(session: LdapSession): Promise<readonly string[]> {
    this.namingContexts ??= this.readEntry(session, '', ['namingContexts'])
      .then((root) => (root ? attributeValues(root, 'namingContexts') : []))
      .catch((error: unknown) => {
        this.namingContexts = null;
        throw error;
      });
    return this.namingContexts;
  }
}

/** The value of `attribute` in the DN's first RDN, if it is named by it. */
export function rdnValue(dn: string, attribute: string): string | undefined {
  const first = parseDn(dn)?.[0];
  const ava = first?.find((a) => a.type.toLowerCase() === attribute.toLowerCase() && !a.ber);
  return ava?.value;
}
