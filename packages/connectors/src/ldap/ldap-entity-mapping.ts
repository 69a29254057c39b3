import type { ScalarValue } from '@ordo/core';
import type { Entry } from 'ldapts';
import { ConnectorError } from '../connector-error.ts';
import type { LdapEntitySettings } from './parse-ldap-settings.ts';

/** An entry's values of one attribute (attribute names compare case-insensitively), as text. */
export function attributeValues(entry: Entry, attribute: string): readonly string[] {
  let byName = indexed.get(entry);
  if (!byName) {
    byName = new Map();
    for (const [name, value] of Object.entries(entry)) {
      if (name === 'dn') continue;
      const values = Array.isArray(value) ? value : [value];
      byName.set(
        name.toLowerCase(),
        values.map((v) => (typeof v === 'string' ? v : v.toString('utf8'))),
      );
    }
    indexed.set(entry, byName);
  }
  return byName.get(attribute.toLowerCase()) ?? [];
}

/** Entries' attributes by lower-cased name, built on first lookup (an entry is read many times). */
const indexed = new WeakMap<Entry, Map<string, string[]>>();

/** LDAP values wanted for one attribute; empty = the attribute should be absent. */
export interface DesiredAttribute {
  readonly attribute: string;
  readonly values: readonly string[];
}

/**
 * How the Ordo values of one entity type map to the attributes of its entries, both ways:
 * property names are attribute names unless `<T>.attribute.<property>` says otherwise; int and
 * bool properties are converted (LDAP booleans are `TRUE`/`FALSE`); the enabled flag becomes
 * its configured attribute value; the key is the entry's DN; the password is never read back.
 */
export class LdapEntityMapping {
  /** Filter for this type's entries: its object classes and the configured extra filter. */
  readonly filter: string;
  /** Property stored in the RDN attribute of new entries (uid...), or null. */
  readonly rdnProperty: string | null;

  constructor(
    readonly id: string,
    readonly settings: LdapEntitySettings,
    private readonly connectionId: string,
  ) {
    const clauses = settings.objectClasses
      .filter((oc) => oc.toLowerCase() !== 'top')
      .map((oc) => `(objectClass=${oc})`);
    if (settings.filter) clauses.push(settings.filter.startsWith('(') ? settings.filter : `(${settings.filter})`);
    this.filter =
      clauses.length === 0 ? '(objectClass=*)' : clauses.length === 1 ? clauses[0]! : `(&${clauses.join('')})`;
    const rdn = settings.rdnAttribute.toLowerCase();
    this.rdnProperty =
      Object.entries(settings.attributes).find(([, mapped]) => mapped.attribute.toLowerCase() === rdn)?.[0] ?? null;
  }

  /** This type's filter narrowed by another filter clause. */
  filterWith(clause: string): string {
    return `(&${this.filter}${clause})`;
  }

  /** Attributes that hold these properties (unknown properties and the key need none). */
  attributesOf(properties: Iterable<string>): string[] {
    const result = new Set<string>();
    for (const property of properties) {
      const mapped = this.settings.attributes[property];
      if (mapped) result.add(mapped.attribute);
      else if (property === this.settings.enabled?.property) result.add(this.settings.enabled.attribute);
    }
    return [...result];
  }

  /** Every scalar property of the type except the key and the password. */
  readableProperties(): string[] {
    return [
      ...Object.keys(this.settings.attributes),
      ...(this.settings.enabled ? [this.settings.enabled.property] : []),
    ];
  }

  /**
   * The attribute values wanted for the given Ordo values, by lower-cased attribute name. The key
   * (the DN) and the password are not attributes and are left out; null and '' mean "absent".
   */
  desiredAttributes(values: Readonly<Record<string, ScalarValue>>): Map<string, DesiredAttribute> {
    const result = new Map<string, DesiredAttribute>();
    for (const [property, value] of Object.entries(values)) {
      const mapped = this.settings.attributes[property];
      const enabled = this.settings.enabled;
      if (mapped) {
        result.set(mapped.attribute.toLowerCase(), { attribute: mapped.attribute, values: toLdap(value) });
      } else if (enabled && property === enabled.property) {
        const wanted = value === null ? null : value === true ? enabled.enabledValue : enabled.disabledValue;
        result.set(enabled.attribute.toLowerCase(), { attribute: enabled.attribute, values: wanted ? [wanted] : [] });
      }
    }
    return result;
  }

  /** The Ordo values of an entry: every readable property, or only those asked for. */
  valuesOf(entry: Entry, properties?: Iterable<string>): Record<string, ScalarValue> {
    const values: Record<string, ScalarValue> = {};
    const { keyProperty, enabled } = this.settings;
    for (const property of properties ?? [keyProperty, ...this.readableProperties()]) {
      if (property === keyProperty) values[property] = entry.dn;
      else if (enabled && property === enabled.property) {
        const current = attributeValues(entry, enabled.attribute)[0] ?? null;
        values[property] =
          enabled.enabledValue !== null ? current === enabled.enabledValue : current !== enabled.disabledValue;
      } else {
        const mapped = this.settings.attributes[property];
        if (!mapped) continue;
        const raw = attributeValues(entry, mapped.attribute)[0];
        values[property] = raw === undefined ? null : this.fromLdap(entry.dn, property, mapped.type, raw);
      }
    }
    return values;
  }

  private fromLdap(dn: string, property: string, type: string, raw: string): ScalarValue {
    if (type === 'int') {
      if (/^\s*[-+]?\d+\s*$/.test(raw)) return Number.parseInt(raw, 10);
    } else if (type === 'bool') {
      const upper = raw.trim().toUpperCase();
      if (upper === 'TRUE') return true;
      if (upper === 'FALSE') return false;
    } else return raw;
    throw new ConnectorError(
      `connection ${this.connectionId}: ${dn}: ${property} holds ${JSON.stringify(raw.slice(0, 100))}, which is not ${type === 'int' ? 'an int' : 'a bool (TRUE/FALSE)'}`,
      { kind: 'schema', applied: 'no' },
    );
  }
}

function toLdap(value: ScalarValue): string[] {
  if (value === null || value === '') return [];
  if (typeof value === 'boolean') return [value ? 'TRUE' : 'FALSE'];
  return [String(value)];
}
