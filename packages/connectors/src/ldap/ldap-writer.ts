import type { ScalarValue } from '@ordo/core';
import { Attribute, Change, type Entry } from 'ldapts';
import type { CreateOperation, DeleteOperation, FulfilOutcome, UpdateOperation } from '../connector.ts';
import { ConnectorError } from '../connector-error.ts';
import { ldapResultCode } from './classify-ldap-error.ts';
import { escapeDnValue } from './escape-dn-value.ts';
import { type LdapDirectory, rdnValue } from './ldap-directory.ts';
import { attributeValues, type DesiredAttribute, type LdapEntityMapping } from './ldap-entity-mapping.ts';
import { LdapLinkWriter, type Links } from './ldap-link-writer.ts';
import type { LdapSession } from './ldap-session.ts';
import { formatDn, normalizeDn, parseDn } from './parse-dn.ts';

const noSuchObject = 32;
const entryAlreadyExists = 68;

/**
 * Creates, updates and deletes entries with "ensure" semantics: an add that finds the entry
 * compares and patches it, an update reads first and sends only what differs (so a repeated
 * update reports no change), and a delete of a missing entry is no change.
 */
export class LdapWriter {
  private readonly links: LdapLinkWriter;

  constructor(private readonly directory: LdapDirectory) {
    this.links = new LdapLinkWriter(directory);
  }

  async create(operation: CreateOperation): Promise<FulfilOutcome> {
    const mapping = this.directory.mapping(operation.entityType);
    this.check(mapping, operation.values, [operation.links]);
    const dn = this.newDn(mapping, operation.key, operation.values);
    const desired = mapping.desiredAttributes(operation.values);
    const password = this.passwordOf(mapping, operation.values);
    const session = this.directory.session();
    try {
      if (await this.add(session, mapping, dn, desired, password, operation.links)) {
        const key = await this.serverDn(session, dn);
        await this.links.change('add', session, mapping, key, null, operation.links, ['membership']);
        return { changed: true, key };
      }
      const entry = await this.directory.readEntry(session, dn, this.attributesToRead(mapping, desired));
      if (!entry) {
        throw new ConnectorError(
          `connection ${this.directory.connectionId}: ${dn} exists and vanished while being created`,
          {
            kind: 'unknown',
            applied: 'no',
            retryable: true,
          },
        );
      }
      let changed = await this.patch(session, dn, entry, desired);
      if (password !== undefined) changed = (await this.setPassword(session, mapping, dn, password)) || changed;
      changed = (await this.links.change('add', session, mapping, entry.dn, entry, operation.links)) || changed;
      return { changed, key: entry.dn };
    } finally {
      session.end();
    }
  }

  async update(operation: UpdateOperation): Promise<FulfilOutcome> {
    const mapping = this.directory.mapping(operation.entityType);
    this.check(mapping, operation.values, [operation.addLinks, operation.removeLinks]);
    const desired = mapping.desiredAttributes(operation.values);
    const password = this.passwordOf(mapping, operation.values);
    const wanted = this.attributesToRead(mapping, desired);
    let dn = this.directory.dnOf(mapping, operation.key);
    const session = this.directory.session();
    try {
      let entry = await this.directory.readEntry(session, dn, wanted);
      if (!entry) {
        // A repeated rename: the entry already carries its new name.
        const moved = this.renameTarget(mapping, dn, operation.values);
        entry = moved ? await this.directory.readEntry(session, moved, wanted) : null;
        if (!entry || !moved) {
          throw new ConnectorError(`connection ${this.directory.connectionId}: update of ${dn}: no such entry`, {
            kind: 'not_found',
            applied: 'no',
          });
        }
        dn = moved;
      }
      let changed = false;
      let key = dn === this.directory.dnOf(mapping, operation.key) ? operation.key : dn;
      const target = this.renameTarget(mapping, dn, operation.values);
      if (target) {
        entry = await this.rename(session, mapping, dn, entry, target, wanted);
        dn = key = entry.dn;
        changed = true;
      }
      changed = (await this.patch(session, dn, entry, desired)) || changed;
      if (password !== undefined) changed = (await this.setPassword(session, mapping, dn, password)) || changed;
      changed = (await this.links.change('add', session, mapping, dn, entry, operation.addLinks)) || changed;
      changed = (await this.links.change('remove', session, mapping, dn, entry, operation.removeLinks)) || changed;
      return { changed, key };
    } finally {
      session.end();
    }
  }

  async delete(operation: DeleteOperation): Promise<FulfilOutcome> {
    const mapping = this.directory.mapping(operation.entityType);
    const dn = this.directory.dnOf(mapping, operation.key);
    const session = this.directory.session();
    try {
      const valueAttributes = this.directory.memberValueAttributes(mapping);
      const entry = valueAttributes.length ? await this.directory.readEntry(session, dn, valueAttributes) : null;
      let changed = false;
      try {
        await session.write(`delete of ${dn}`, (c) => c.del(dn));
        changed = true;
      } catch (error) {
        if (ldapResultCode((error as Error).cause) !== noSuchObject) throw error;
      }
      // Servers without referential integrity keep member values of deleted entries: take them
      // out, also on a repeated delete (the first may have stopped half-way).
      for (const groupType of new Set(this.directory.memberships(mapping).map((n) => n.groupType))) {
        const members = this.directory.members(groupType);
        const stored = members.storage.value;
        const value =
          stored === 'dn'
            ? dn
            : ((entry ? attributeValues(entry, stored.attribute)[0] : undefined) ?? rdnValue(dn, stored.attribute));
        if (value === undefined) continue;
        for (const group of await members.groupsWith(session, value)) {
          changed = (await members.remove(session, group, value)) || changed;
        }
      }
      return { changed, key: operation.key };
    } finally {
      session.end();
    }
  }

  /**
   * The DN as the server writes it: it may spell attribute types (`UID` → `uid`) and the parent
   * (as stored) differently from the request, and keys must match what exports report.
   */
  private async serverDn(session: LdapSession, dn: string): Promise<string> {
    return (await this.directory.readEntry(session, dn, []))?.dn ?? dn;
  }

  /** Refuses values and links the entity type does not have, before anything is written. */
  private check(
    mapping: LdapEntityMapping,
    values: Readonly<Record<string, ScalarValue>>,
    links: readonly Links[],
  ): void {
    const { entityType } = mapping.settings;
    for (const property of Object.keys(values)) {
      if (entityType.properties[property]?.kind !== 'scalar')
        this.refuse(`"${property}" is not a scalar property of ${mapping.id}`);
    }
    for (const set of links) {
      for (const [property, keys] of Object.entries(set)) {
        if (!mapping.settings.navigations.some((n) => n.property === property)) {
          this.refuse(`"${property}" is not a navigation property of ${mapping.id}`);
        }
        // Every linked object is named by its DN; refused here rather than half-way through.
        for (const key of keys) {
          if (!parseDn(key)?.length) {
            throw new ConnectorError(
              `connection ${this.directory.connectionId}: the ${property} link "${key}" is not a DN`,
              { kind: 'schema', applied: 'no' },
            );
          }
        }
      }
    }
  }

  private refuse(problem: string): never {
    throw new ConnectorError(`connection ${this.directory.connectionId}: ${problem}`, { kind: 'configuration' });
  }

  /** The key when it is a DN, else `<rdn>=<value>,<container>` from the RDN property (or the key). */
  private newDn(mapping: LdapEntityMapping, key: string, values: Readonly<Record<string, ScalarValue>>): string {
    const rdns = parseDn(key);
    if (rdns && rdns.length > 0) return formatDn(rdns);
    const named = mapping.rdnProperty ? values[mapping.rdnProperty] : null;
    const value = named === null || named === undefined || named === '' ? key : String(named);
    return `${mapping.settings.rdnAttribute}=${escapeDnValue(value)},${mapping.settings.container}`;
  }

  /** The new DN when the values rename or move the entry (a new key, or a new RDN value), else null. */
  private renameTarget(
    mapping: LdapEntityMapping,
    dn: string,
    values: Readonly<Record<string, ScalarValue>>,
  ): string | null {
    const keyValue = values[mapping.settings.keyProperty];
    if (typeof keyValue === 'string' && keyValue !== '') {
      const target = this.directory.dnOf(mapping, keyValue);
      return normalizeDn(target) === normalizeDn(dn) ? null : target;
    }
    const named = mapping.rdnProperty ? values[mapping.rdnProperty] : undefined;
    if (named === undefined || named === null || named === '') return null;
    const rdns = parseDn(dn)!;
    const [first, ...parent] = rdns;
    const only = first?.length === 1 ? first[0]! : null;
    if (!only || only.type.toLowerCase() !== mapping.settings.rdnAttribute.toLowerCase()) return null;
    if (only.value === String(named)) return null;
    return formatDn([[{ type: only.type, value: String(named) }], ...parent]);
  }

  /**
   * Renames or moves the entry (the old RDN value goes), then repoints the group memberships that
   * named it: servers without referential integrity would keep the old DN (or old uid) in them.
   */
  private async rename(
    session: LdapSession,
    mapping: LdapEntityMapping,
    dn: string,
    entry: Entry,
    target: string,
    wanted: readonly string[],
  ): Promise<Entry> {
    const groupTypes = [...new Set(this.directory.memberships(mapping).map((n) => n.groupType))];
    const before = new Map<string, string>();
    for (const groupType of groupTypes) {
      before.set(groupType, await this.directory.memberValueOf(session, this.directory.members(groupType), dn, entry));
    }
    await session.write(`rename of ${dn} to ${target}`, (c) => c.modifyDN(dn, target));
    const renamed = await this.directory.readEntry(session, target, wanted);
    if (!renamed) {
      throw new ConnectorError(`connection ${this.directory.connectionId}: ${target} vanished right after its rename`, {
        kind: 'unknown',
        applied: 'maybe',
      });
    }
    for (const groupType of groupTypes) {
      const members = this.directory.members(groupType);
      const oldValue = before.get(groupType)!;
      const newValue = await this.directory.memberValueOf(session, members, renamed.dn, renamed);
      // Equal for the server (a change of case in a DN): adding the new value would be refused as
      // existing and removing the old one would then remove the membership.
      if (members.comparable(oldValue) === members.comparable(newValue)) continue;
      for (const group of await members.groupsWith(session, oldValue)) {
        await members.add(session, group, newValue);
        await members.remove(session, group, oldValue);
      }
    }
    return renamed;
  }

  /** Replaces the attributes whose values differ (compared exactly; the server decides the rest). */
  private async patch(
    session: LdapSession,
    dn: string,
    entry: Entry,
    desired: ReadonlyMap<string, DesiredAttribute>,
  ): Promise<boolean> {
    const changes: Change[] = [];
    for (const { attribute, values } of desired.values()) {
      if (sameValues(attributeValues(entry, attribute), values)) continue;
      changes.push(
        new Change({ operation: 'replace', modification: new Attribute({ type: attribute, values: [...values] }) }),
      );
    }
    if (changes.length === 0) return false;
    const names = changes.map((c) => c.modification.type).join(', ');
    await session.write(`modify of ${names} on ${dn}`, (c) => c.modify(dn, changes));
    return true;
  }

  /**
   * Sets (or with null removes) the password. A compare tells whether it already is the one
   * asked for, so that a repeated operation changes nothing; when the server cannot compare
   * (hashed values, no compare right) the password is written again.
   */
  private async setPassword(
    session: LdapSession,
    mapping: LdapEntityMapping,
    dn: string,
    password: string | null,
  ): Promise<boolean> {
    const attribute = mapping.settings.password!.attribute;
    if (password === null) {
      const entry = await this.directory.readEntry(session, dn, [attribute]);
      if (!entry || attributeValues(entry, attribute).length === 0) return false;
    } else {
      const same = await session
        .read(`compare of ${attribute} on ${dn}`, (c) => c.compare(dn, attribute, password))
        .catch((error: unknown) => {
          if (ldapResultCode((error as Error).cause) === null) throw error;
          return false;
        });
      if (same) return false;
    }
    await session.write(`modify of ${attribute} on ${dn}`, (c) =>
      c.modify(
        dn,
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: attribute, values: password === null ? [] : [password] }),
        }),
      ),
    );
    return true;
  }

  /**
   * Adds the entry with its values, password, references and group members. false when it
   * already exists (entryAlreadyExists), which the caller turns into a compare-and-patch.
   */
  private async add(
    session: LdapSession,
    mapping: LdapEntityMapping,
    dn: string,
    desired: ReadonlyMap<string, DesiredAttribute>,
    password: string | null | undefined,
    links: Links,
  ): Promise<boolean> {
    const attributes = new Map<string, { type: string; values: string[] }>();
    const put = (type: string, values: readonly string[]) => {
      const current = attributes.get(type.toLowerCase());
      if (!current) attributes.set(type.toLowerCase(), { type, values: [...values] });
      else
        for (const v of values)
          if (!current.values.some((c) => c.toLowerCase() === v.toLowerCase())) current.values.push(v);
    };
    put('objectClass', mapping.settings.objectClasses);
    for (const { attribute, values } of desired.values()) if (values.length) put(attribute, values);
    // The RDN's values must be in the entry (namingViolation otherwise).
    for (const ava of parseDn(dn)![0]!) if (!ava.ber) put(ava.type, [ava.value]);
    if (password) put(mapping.settings.password!.attribute, [password]);
    for (const [attribute, values] of await this.links.initialValues(session, mapping, links)) put(attribute, values);
    const members = mapping.settings.role === 'group' ? this.directory.members(mapping.id) : null;
    const placeholder = members?.placeholder(dn);
    if (members && placeholder && !attributes.has(members.storage.attribute.toLowerCase())) {
      put(members.storage.attribute, [placeholder]);
    }
    try {
      await session.write(`add of ${dn}`, (c) =>
        c.add(
          dn,
          [...attributes.values()].map((a) => new Attribute({ type: a.type, values: a.values })),
        ),
      );
      return true;
    } catch (error) {
      if (ldapResultCode((error as Error).cause) === entryAlreadyExists) return false;
      throw error;
    }
  }

  /** Attributes an update or a patch must see: the values it sets, the RDN, the member values. */
  private attributesToRead(mapping: LdapEntityMapping, desired: ReadonlyMap<string, DesiredAttribute>): string[] {
    return [
      ...new Set([
        ...[...desired.values()].map((d) => d.attribute),
        mapping.settings.rdnAttribute,
        ...this.directory.memberValueAttributes(mapping),
      ]),
    ];
  }

  /** undefined: not given; null: clear it. */
  private passwordOf(
    mapping: LdapEntityMapping,
    values: Readonly<Record<string, ScalarValue>>,
  ): string | null | undefined {
    const property = mapping.settings.password?.property;
    if (!property || !(property in values)) return undefined;
    const value = values[property];
    return value === null || value === '' ? null : String(value);
  }
}

function sameValues(current: readonly string[], wanted: readonly string[]): boolean {
  if (current.length !== wanted.length) return false;
  const sorted = [...current].sort();
  return [...wanted].sort().every((v, i) => v === sorted[i]);
}
