import { readFileSync } from 'node:fs';
import type { EntityType, ScalarType } from '@ordo/core';
import { FilterParser } from 'ldapts';
import type { ConnectionContext } from '../connector.ts';
import { ConnectorError } from '../connector-error.ts';
import { parseDn } from './parse-dn.ts';

/** The connection's settings, checked and with defaults applied. */
export interface LdapSettings {
  readonly connectionId: string;
  readonly url: string;
  /** null: anonymous bind. */
  readonly bindDn: string | null;
  readonly bindPassword: string | null;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly startTls: boolean;
  /** TLS options for ldaps:// or StartTLS (CA certificate already read). */
  readonly tls: { readonly ca?: string; readonly rejectUnauthorized: boolean };
  readonly poolSize: number;
  /** Export page size when the request gives none. */
  readonly pageSize: number;
  readonly entityTypes: Readonly<Record<string, LdapEntitySettings>>;
}

/** How Ordo property values are stored on an entry of one entity type. */
export interface LdapEntitySettings {
  readonly entityType: EntityType;
  readonly role: 'account' | 'group';
  readonly container: string;
  readonly objectClasses: readonly string[];
  /** Attribute naming new entries (`uid=...`). */
  readonly rdnAttribute: string;
  /** Extra export filter, already checked to parse. */
  readonly filter: string | null;
  /** Scalar property holding the DN (the entity type's key). */
  readonly keyProperty: string;
  /** Plain scalar properties → attribute name. */
  readonly attributes: Readonly<Record<string, { readonly attribute: string; readonly type: ScalarType }>>;
  readonly enabled: LdapEnabledMapping | null;
  /** Property written to `passwordAttribute`, never read back. */
  readonly password: { readonly property: string; readonly attribute: string } | null;
  readonly navigations: readonly LdapNavigation[];
  /** Groups only: how members are stored. */
  readonly members: LdapMemberStorage | null;
}

/** A bool property stored as an attribute that holds one value when enabled and another (or none) when not. */
export interface LdapEnabledMapping {
  readonly property: string;
  readonly attribute: string;
  /** null: "enabled" is the attribute's absence. */
  readonly enabledValue: string | null;
  /** null: "disabled" is the attribute's absence. */
  readonly disabledValue: string | null;
}

export interface LdapMemberStorage {
  /** `member`, `uniqueMember`, `memberUid`... */
  readonly attribute: string;
  /** `dn`: members are stored by DN; otherwise the account attribute whose value is stored (`uid`). */
  readonly value: 'dn' | { readonly attribute: string };
  /**
   * Value kept in a group that would otherwise have no member, when the member attribute is
   * required by the schema (groupOfNames, groupOfUniqueNames): `self` = the group's own DN.
   */
  readonly emptyMember: 'self' | { readonly dn: string } | null;
}

/**
 * A navigation property and where its links live:
 * - `membership` (account → group): on the group entry's member attribute;
 * - `members` (group → account): on this group's member attribute;
 * - `reference` (anything else, e.g. manager): DN values of an attribute of this entry.
 */
export type LdapNavigation =
  | { readonly kind: 'membership'; readonly property: string; readonly groupType: string }
  | { readonly kind: 'members'; readonly property: string; readonly accountType: string }
  | { readonly kind: 'reference'; readonly property: string; readonly attribute: string };

const connectionKeys = new Set([
  'url',
  'bindDn',
  'bindPassword',
  'timeoutMs',
  'connectTimeoutMs',
  'startTls',
  'tlsCaFile',
  'tlsRejectUnauthorized',
  'poolSize',
  'pageSize',
]);
const entityKeys = new Set([
  'role',
  'container',
  'objectClasses',
  'rdn',
  'filter',
  'enabledProperty',
  'enabledAttribute',
  'enabledValue',
  'disabledValue',
  'passwordProperty',
  'passwordAttribute',
  'memberAttribute',
  'memberValue',
  'emptyMember',
  'membership',
]);
const attributeNamePattern = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)$/;

/**
 * Checks an LDAP connection's settings and applies the defaults.
 * @throws ConnectorError kind `configuration`, naming the connection and the setting.
 */
export function parseLdapSettings(context: ConnectionContext): LdapSettings {
  const reader: SettingsReader = new SettingsReader(context);
  for (const key of Object.keys(context.settings)) {
    const dot = key.indexOf('.');
    if (dot < 0) {
      if (!connectionKeys.has(key))
        reader.fail(key, `is not an LDAP setting (known: ${[...connectionKeys].join(', ')})`);
      continue;
    }
    const typeId = key.slice(0, dot);
    const name = key.slice(dot + 1);
    if (!(typeId in context.entityTypes))
      reader.fail(key, `names entity type "${typeId}", which this connection does not serve`);
    if (!entityKeys.has(name) && !name.startsWith('attribute.')) {
      reader.fail(
        key,
        `is not an LDAP entity type setting (known: ${[...entityKeys].join(', ')}, attribute.<property>)`,
      );
    }
  }

  const url = reader.string('url', { required: true })!;
  if (!/^ldaps?:\/\/[^/]+\/?$/i.test(url)) reader.fail('url', 'must be ldap://host[:port] or ldaps://host[:port]');
  const secure = url.toLowerCase().startsWith('ldaps:');
  const bindDn = reader.string('bindDn');
  if (bindDn !== null && parseDn(bindDn) === null) reader.fail('bindDn', 'is not a DN');
  const bindPassword = reader.string('bindPassword', { secret: true });
  if (bindDn !== null && bindPassword === null) reader.fail('bindPassword', 'is required with bindDn');
  const startTls = reader.bool('startTls', false);
  if (startTls && secure)
    reader.fail('startTls', 'cannot be used with an ldaps:// url (the connection is already TLS)');
  const caFile = reader.string('tlsCaFile');
  let ca: string | undefined;
  if (caFile !== null) {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (error) {
      reader.fail('tlsCaFile', `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }

  const roles = new Map<string, 'account' | 'group'>();
  for (const [id, type] of Object.entries(context.entityTypes)) {
    const role = reader.string(`${id}.role`) ?? (/group/i.test(type.id || id) ? 'group' : 'account');
    if (role !== 'account' && role !== 'group') reader.fail(`${id}.role`, `must be account or group, not "${role}"`);
    roles.set(id, role);
  }
  const entityTypes: Record<string, LdapEntitySettings> = {};
  for (const [id, type] of Object.entries(context.entityTypes)) {
    entityTypes[id] = parseEntitySettings(reader, id, type, roles);
  }

  return {
    connectionId: context.connectionId,
    url,
    bindDn,
    bindPassword,
    timeoutMs: reader.int('timeoutMs', 30_000, 1, 3_600_000),
    connectTimeoutMs: reader.int('connectTimeoutMs', 5_000, 1, 600_000),
    startTls,
    tls: { ...(ca === undefined ? {} : { ca }), rejectUnauthorized: reader.bool('tlsRejectUnauthorized', true) },
    poolSize: reader.int('poolSize', 4, 1, 64),
    pageSize: reader.int('pageSize', 500, 1, 100_000),
    entityTypes,
  };
}

function parseEntitySettings(
  reader: SettingsReader,
  id: string,
  type: EntityType,
  roles: ReadonlyMap<string, 'account' | 'group'>,
): LdapEntitySettings {
  const role = roles.get(id)!;
  const key = (name: string) => `${id}.${name}`;
  const container = reader.string(key('container'), { required: true })!;
  if (parseDn(container) === null) reader.fail(key('container'), `is not a DN: "${container}"`);
  const objectClasses = list(
    reader.string(key('objectClasses')) ?? (role === 'account' ? 'inetOrgPerson' : 'groupOfNames'),
  );
  if (objectClasses.length === 0 || objectClasses.some((oc) => !attributeNamePattern.test(oc))) {
    reader.fail(key('objectClasses'), 'must be a comma-separated list of object class names');
  }
  const rdnAttribute = reader.string(key('rdn')) ?? (role === 'account' ? 'uid' : 'cn');
  checkAttributeName(reader, key('rdn'), rdnAttribute);
  const filter = reader.string(key('filter'));
  if (filter !== null) {
    // ldapts's parser forgives a missing closing parenthesis; values escape theirs (RFC 4515).
    if (!balanced(filter)) reader.fail(key('filter'), 'is not an LDAP filter: unbalanced parentheses');
    try {
      FilterParser.parseString(filter);
    } catch (error) {
      reader.fail(key('filter'), `is not an LDAP filter: ${(error as Error).message}`);
    }
  }

  const keyProperty = type.key;
  if (type.properties[keyProperty]?.kind !== 'scalar') {
    reader.fail(key('role'), `needs the key property "${keyProperty}" of ${id} to be a scalar (it holds the DN)`);
  }

  const scalarProperty = (setting: string, name: string, wanted?: ScalarType): string => {
    const property = type.properties[name];
    if (property?.kind !== 'scalar') reader.fail(setting, `names "${name}", which is not a scalar property of ${id}`);
    if (wanted && property.type !== wanted)
      reader.fail(setting, `names "${name}", which is ${property.type}, not ${wanted}`);
    if (name === keyProperty) reader.fail(setting, `names "${name}", the key (DN) of ${id}`);
    return name;
  };

  const enabledAttribute = reader.string(key('enabledAttribute'));
  let enabled: LdapEnabledMapping | null = null;
  if (enabledAttribute !== null) {
    checkAttributeName(reader, key('enabledAttribute'), enabledAttribute);
    const enabledValue = reader.string(key('enabledValue'));
    const disabledValue = reader.string(key('disabledValue'));
    if (enabledValue === null && disabledValue === null) {
      reader.fail(key('enabledValue'), `or ${key('disabledValue')} is required with ${key('enabledAttribute')}`);
    }
    if (enabledValue !== null && enabledValue === disabledValue) {
      reader.fail(key('disabledValue'), 'must differ from enabledValue');
    }
    const property = scalarProperty(key('enabledProperty'), reader.string(key('enabledProperty')) ?? 'enabled', 'bool');
    enabled = { property, attribute: enabledAttribute, enabledValue, disabledValue };
  } else {
    for (const name of ['enabledProperty', 'enabledValue', 'disabledValue']) {
      if (reader.string(key(name)) !== null) reader.fail(key(name), `needs ${key('enabledAttribute')}`);
    }
  }

  const passwordProperty = reader.string(key('passwordProperty'));
  const passwordAttribute = reader.string(key('passwordAttribute')) ?? 'userPassword';
  checkAttributeName(reader, key('passwordAttribute'), passwordAttribute);
  const password =
    passwordProperty === null
      ? null
      : { property: scalarProperty(key('passwordProperty'), passwordProperty, 'string'), attribute: passwordAttribute };

  const attributes: Record<string, { attribute: string; type: ScalarType }> = {};
  for (const [name, property] of Object.entries(type.properties)) {
    if (property.kind !== 'scalar' || name === keyProperty) continue;
    if (name === enabled?.property || name === password?.property) continue;
    const attribute = reader.string(key(`attribute.${name}`)) ?? name;
    checkAttributeName(reader, key(`attribute.${name}`), attribute);
    attributes[name] = { attribute, type: property.type };
  }

  let members: LdapMemberStorage | null = null;
  if (role === 'group') {
    const classes = objectClasses.map((oc) => oc.toLowerCase());
    const defaultAttribute = classes.includes('groupofuniquenames')
      ? 'uniqueMember'
      : classes.includes('posixgroup')
        ? 'memberUid'
        : 'member';
    const attribute = reader.string(key('memberAttribute')) ?? defaultAttribute;
    checkAttributeName(reader, key('memberAttribute'), attribute);
    const byUid = attribute.toLowerCase() === 'memberuid';
    const valueSetting = reader.string(key('memberValue')) ?? (byUid ? 'uid' : 'dn');
    if (valueSetting !== 'dn') checkAttributeName(reader, key('memberValue'), valueSetting);
    const emptySetting = reader.string(key('emptyMember')) ?? (byUid ? 'none' : 'self');
    let emptyMember: LdapMemberStorage['emptyMember'] = null;
    if (emptySetting === 'self') emptyMember = 'self';
    else if (emptySetting !== 'none') {
      if (parseDn(emptySetting) === null) reader.fail(key('emptyMember'), 'must be self, none or a DN');
      emptyMember = { dn: emptySetting };
    }
    members = { attribute, value: valueSetting === 'dn' ? 'dn' : { attribute: valueSetting }, emptyMember };
  } else {
    for (const name of ['memberAttribute', 'memberValue', 'emptyMember']) {
      if (reader.string(key(name)) !== null) reader.fail(key(name), `applies to groups, and ${id} is an account type`);
    }
  }

  const navigations: LdapNavigation[] = [];
  const membershipSetting = reader.string(key('membership'));
  const chosen = membershipSetting === null ? null : new Set(list(membershipSetting));
  if (chosen && role !== 'account') reader.fail(key('membership'), `applies to accounts, and ${id} is a group type`);
  for (const name of chosen ?? []) {
    const property = type.properties[name];
    if (property?.kind !== 'navigation' || roles.get(property.target) !== 'group') {
      reader.fail(key('membership'), `names "${name}", which is not a navigation property of ${id} to a group type`);
    }
  }
  for (const [name, property] of Object.entries(type.properties)) {
    if (property.kind !== 'navigation') continue;
    const targetRole = roles.get(property.target);
    if (role === 'account' && targetRole === 'group' && (chosen === null || chosen.has(name))) {
      navigations.push({ kind: 'membership', property: name, groupType: property.target });
    } else if (role === 'group' && targetRole === 'account') {
      navigations.push({ kind: 'members', property: name, accountType: property.target });
    } else {
      const attribute = reader.string(key(`attribute.${name}`)) ?? name;
      checkAttributeName(reader, key(`attribute.${name}`), attribute);
      navigations.push({ kind: 'reference', property: name, attribute });
    }
  }

  return {
    entityType: type,
    role,
    container,
    objectClasses,
    rdnAttribute,
    filter,
    keyProperty,
    attributes,
    enabled,
    password,
    navigations,
    members,
  };
}

function balanced(filter: string): boolean {
  let depth = 0;
  for (const char of filter) {
    if (char === '(') depth += 1;
    else if (char === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function checkAttributeName(reader: SettingsReader, setting: string, name: string): void {
  if (!attributeNamePattern.test(name)) reader.fail(setting, `is not an attribute name: "${name}"`);
}

/** Typed access to flat settings; every complaint names the connection and the setting. */
class SettingsReader {
  constructor(private readonly context: ConnectionContext) {}

  fail(setting: string, problem: string): never {
    throw new ConnectorError(`connection ${this.context.connectionId}: setting "${setting}" ${problem}`, {
      kind: 'configuration',
    });
  }

  string(setting: string, options: { required?: boolean; secret?: boolean } = {}): string | null {
    const value = this.context.settings[setting];
    if (value === undefined || value === null || value === '') {
      if (options.required) this.fail(setting, 'is required');
      return null;
    }
    if (typeof value === 'number' && !options.secret) return String(value);
    if (typeof value !== 'string') {
      // Never echo a secret, even a mistyped one. A YAML `TRUE` arrives as a boolean: quote it.
      this.fail(
        setting,
        options.secret ? 'must be a string' : `must be a string (quoted), not ${JSON.stringify(value)}`,
      );
    }
    return options.secret ? value : value.trim();
  }

  bool(setting: string, fallback: boolean): boolean {
    const value = this.context.settings[setting];
    if (value === undefined || value === null || value === '') return fallback;
    if (typeof value === 'boolean') return value;
    if (value === 'true') return true;
    if (value === 'false') return false;
    return this.fail(setting, `must be true or false, not ${JSON.stringify(value)}`);
  }

  int(setting: string, fallback: number, min: number, max: number): number {
    const value = this.context.settings[setting];
    if (value === undefined || value === null || value === '') return fallback;
    const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
    if (!Number.isInteger(number) || number < min || number > max) {
      this.fail(setting, `must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`);
    }
    return number;
  }
}
