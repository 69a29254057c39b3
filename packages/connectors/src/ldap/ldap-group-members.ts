import { Attribute, Change } from 'ldapts';
import { ldapResultCode } from './classify-ldap-error.ts';
import { escapeFilterValue } from './escape-filter-value.ts';
import type { LdapEntityMapping } from './ldap-entity-mapping.ts';
import type { LdapSession } from './ldap-session.ts';
import { normalizeDn } from './parse-dn.ts';
import type { LdapMemberStorage } from './parse-ldap-settings.ts';

const attributeOrValueExists = 20;
const noSuchAttribute = 16;
const objectClassViolation = 65;

/**
 * The members of one group type, changed one value at a time on the group entry: an `add` or a
 * `delete` modification of a single value, never a replace of the whole attribute, so that
 * concurrent changes by others (or by the agent's parallel orders) are not lost.
 */
export class LdapGroupMembers {
  readonly storage: LdapMemberStorage;

  constructor(readonly group: LdapEntityMapping) {
    this.storage = group.settings.members!;
  }

  /** Whether member values are DNs (member, uniqueMember) rather than names (memberUid). */
  get byDn(): boolean {
    return this.storage.value === 'dn';
  }

  /** A comparable form of a member value: DNs normalised, names as they are. */
  comparable(value: string): string {
    return this.byDn ? normalizeDn(value) : value;
  }

  /** The value that keeps a group valid when it would have no member, or null. */
  placeholder(groupDn: string): string | null {
    const empty = this.storage.emptyMember;
    if (empty === null) return null;
    return empty === 'self' ? groupDn : empty.dn;
  }

  isPlaceholder(groupDn: string, value: string): boolean {
    const placeholder = this.placeholder(groupDn);
    return placeholder !== null && this.comparable(placeholder) === this.comparable(value);
  }

  /** Adds one member; false when it already was one ("attribute or value exists"). */
  async add(session: LdapSession, groupDn: string, value: string): Promise<boolean> {
    try {
      await this.modify(session, groupDn, [['add', value]], `adding ${value} to`);
      return true;
    } catch (error) {
      if (ldapResultCode((error as Error).cause) === attributeOrValueExists) return false;
      throw error;
    }
  }

  /**
   * Removes one member; false when it was not one ("no such attribute"). groupOfNames and
   * groupOfUniqueNames require a member, so the server refuses to remove the last one
   * (objectClassViolation): the placeholder goes in, in the same modification, so that the group
   * survives empty instead of the removal failing forever. The placeholder is not taken out when
   * members are added later: that would cost a read per addition, and it is never reported as a
   * member.
   */
  async remove(session: LdapSession, groupDn: string, value: string): Promise<boolean> {
    try {
      await this.modify(session, groupDn, [['delete', value]], `removing ${value} from`);
      return true;
    } catch (error) {
      const code = ldapResultCode((error as Error).cause);
      if (code === noSuchAttribute) return false;
      const placeholder = this.placeholder(groupDn);
      if (code !== objectClassViolation || placeholder === null || this.isPlaceholder(groupDn, value)) throw error;
    }
    try {
      await this.modify(
        session,
        groupDn,
        [
          ['add', this.placeholder(groupDn)!],
          ['delete', value],
        ],
        `removing the last member ${value} from`,
      );
      return true;
    } catch (error) {
      if (ldapResultCode((error as Error).cause) === noSuchAttribute) return false;
      throw error;
    }
  }

  /** DNs of this type's groups that hold the value. */
  async groupsWith(session: LdapSession, value: string): Promise<string[]> {
    const { container } = this.group.settings;
    const filter = this.group.filterWith(`(${this.storage.attribute}=${escapeFilterValue(value)})`);
    const result = await session.read(
      `search of ${this.group.id} groups with ${this.storage.attribute} ${value}`,
      (c) => c.search(container, { scope: 'sub', filter, attributes: ['1.1'] }),
    );
    return result.searchEntries.map((e) => e.dn).sort();
  }

  private async modify(
    session: LdapSession,
    groupDn: string,
    changes: readonly (readonly ['add' | 'delete', string])[],
    action: string,
  ): Promise<void> {
    const { attribute } = this.storage;
    await session.write(`${action} ${attribute} of ${groupDn}`, (c) =>
      c.modify(
        groupDn,
        changes.map(
          ([operation, value]) =>
            new Change({ operation, modification: new Attribute({ type: attribute, values: [value] }) }),
        ),
      ),
    );
  }
}
