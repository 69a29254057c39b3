import { Attribute, Change, type Entry } from 'ldapts';
import { ConnectorError } from '../connector-error.ts';
import { ldapResultCode } from './classify-ldap-error.ts';
import type { LdapDirectory } from './ldap-directory.ts';
import type { LdapEntityMapping } from './ldap-entity-mapping.ts';
import type { LdapSession } from './ldap-session.ts';
import { formatDn, parseDn } from './parse-dn.ts';
import type { LdapNavigation } from './parse-ldap-settings.ts';

const attributeOrValueExists = 20;
const noSuchAttribute = 16;

/** Navigation property → keys of the linked objects. */
export type Links = Readonly<Record<string, readonly string[]>>;

/**
 * Adds and removes links one value at a time, where each kind of navigation keeps them: a
 * membership on the group entry, a group's members and a reference (manager...) on the entry
 * itself. An "attribute or value exists" answer to an add, or "no such attribute" to a delete,
 * means the link already was as asked: no change.
 */
export class LdapLinkWriter {
  constructor(private readonly directory: LdapDirectory) {}

  /**
   * Attribute values that carry the links of a new entry (references, a group's members), to
   * send with the add; memberships live on other entries and are added afterwards.
   */
  async initialValues(session: LdapSession, mapping: LdapEntityMapping, links: Links): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    for (const navigation of mapping.settings.navigations) {
      const keys = links[navigation.property] ?? [];
      if (navigation.kind === 'membership' || keys.length === 0) continue;
      const attribute = this.attributeOf(mapping, navigation);
      const values = result.get(attribute) ?? [];
      for (const key of keys) values.push(await this.valueOf(session, mapping, navigation, key));
      result.set(attribute, values);
    }
    return result;
  }

  /** Adds (or removes) the links; `kinds` limits which navigations are handled. */
  async change(
    operation: 'add' | 'remove',
    session: LdapSession,
    mapping: LdapEntityMapping,
    dn: string,
    entry: Entry | null,
    links: Links,
    kinds: readonly LdapNavigation['kind'][] = ['membership', 'members', 'reference'],
  ): Promise<boolean> {
    let changed = false;
    for (const navigation of mapping.settings.navigations) {
      const keys = links[navigation.property] ?? [];
      if (keys.length === 0 || !kinds.includes(navigation.kind)) continue;
      if (navigation.kind === 'membership') {
        const members = this.directory.members(navigation.groupType);
        const groups = this.directory.mapping(navigation.groupType);
        const value = await this.directory.memberValueOf(session, members, dn, entry);
        for (const key of keys) {
          const group = this.directory.dnOf(groups, key);
          const done = operation === 'add' ? members.add(session, group, value) : members.remove(session, group, value);
          changed = (await done) || changed;
        }
      } else if (navigation.kind === 'members') {
        const members = this.directory.members(mapping.id);
        for (const key of keys) {
          const value = await this.valueOf(session, mapping, navigation, key);
          const done = operation === 'add' ? members.add(session, dn, value) : members.remove(session, dn, value);
          changed = (await done) || changed;
        }
      } else {
        for (const key of keys) {
          const value = await this.valueOf(session, mapping, navigation, key);
          changed = (await this.changeReference(session, dn, navigation.attribute, operation, value)) || changed;
        }
      }
    }
    return changed;
  }

  private attributeOf(mapping: LdapEntityMapping, navigation: Exclude<LdapNavigation, { kind: 'membership' }>): string {
    return navigation.kind === 'reference'
      ? navigation.attribute
      : this.directory.members(mapping.id).storage.attribute;
  }

  /** What the entry stores for a linked key: the DN, or for name members the account's name. */
  private async valueOf(
    session: LdapSession,
    mapping: LdapEntityMapping,
    navigation: Exclude<LdapNavigation, { kind: 'membership' }>,
    key: string,
  ): Promise<string> {
    if (navigation.kind === 'reference') return this.linkedDn(key);
    const accountDn = this.directory.dnOf(this.directory.mapping(navigation.accountType), key);
    return this.directory.memberValueOf(session, this.directory.members(mapping.id), accountDn, null);
  }

  private async changeReference(
    session: LdapSession,
    dn: string,
    attribute: string,
    operation: 'add' | 'remove',
    value: string,
  ): Promise<boolean> {
    const ldapOperation = operation === 'add' ? 'add' : 'delete';
    try {
      await session.write(`${ldapOperation} of ${attribute} ${value} on ${dn}`, (c) =>
        c.modify(
          dn,
          new Change({ operation: ldapOperation, modification: new Attribute({ type: attribute, values: [value] }) }),
        ),
      );
      return true;
    } catch (error) {
      const code = ldapResultCode((error as Error).cause);
      if (code === (operation === 'add' ? attributeOrValueExists : noSuchAttribute)) return false;
      throw error;
    }
  }

  private linkedDn(key: string): string {
    const rdns = parseDn(key);
    if (!rdns || rdns.length === 0) {
      throw new ConnectorError(`connection ${this.directory.connectionId}: the link "${key}" is not a DN`, {
        kind: 'schema',
        applied: 'no',
      });
    }
    return formatDn(rdns);
  }
}
