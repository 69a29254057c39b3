import type { EntityType, ScalarType } from '@ordo/core';
import type { ConnectionContext } from '../connector.ts';
import { ConnectorError } from '../connector-error.ts';
import { parseScimPath, type ScimPath } from './scim-path.ts';

/** The two SCIM resource types of RFC 7643 the connector provisions. */
export type ScimResourceKind = 'User' | 'Group';

/** How one scalar property of an entity type maps to a SCIM attribute path. */
export interface ScimPropertyMapping {
  readonly property: string;
  readonly path: ScimPath;
  readonly type: ScalarType;
  /** Extra sub-attributes of a new multi-valued element (the default `email` is a work email). */
  readonly template: Readonly<Record<string, string | boolean>>;
}

/** One entity type served by the connection, resolved against the model. */
export interface ScimEntityTypeSettings {
  readonly entityType: string;
  readonly resource: ScimResourceKind;
  /** `/Users` or `/Groups`, below the base URL. */
  readonly endpoint: string;
  /** The identifying attribute the key property maps to: `userName` or `displayName`. */
  readonly keyAttribute: 'userName' | 'displayName';
  readonly keyProperty: string;
  /** Every scalar property, the key included. */
  readonly properties: Readonly<Record<string, ScimPropertyMapping>>;
  /** For a User type: the navigation property holding its groups, and the Group entity type. */
  readonly membership: { readonly property: string; readonly groupType: string } | null;
}

/** The connection's settings, checked once when the connector is created. */
export interface ScimSettings {
  readonly connectionId: string;
  /** SCIM base URL without a trailing slash (`https://host/scim/v2`). */
  readonly baseUrl: string;
  /** Bearer token (a resolved secret): never logged, never put in a message. */
  readonly token: string;
  readonly timeoutMs: number;
  readonly pageSize: number;
  readonly incrementalExport: boolean;
  readonly entityTypes: Readonly<Record<string, ScimEntityTypeSettings>>;
}

const defaults = { timeoutMs: 30_000, pageSize: 100 } as const;
const connectionSettings = new Set(['baseUrl', 'token', 'timeoutMs', 'pageSize', 'incrementalExport']);
const entityTypeSettings = new Set(['resource', 'attributes', 'membership']);

/**
 * Default mapping of a property without an override: its name is the SCIM path, except `email`,
 * which is the primary email (created as a work email).
 */
const defaultPaths: Readonly<Record<string, { path: string; template: Record<string, string> }>> = {
  email: { path: 'emails[primary eq true].value', template: { type: 'work' } },
};

type SettingValue = string | number | boolean | null;

/**
 * Reads and validates the settings of a SCIM connection. Every problem is a ConnectorError of kind
 * `configuration` naming the connection, the setting and what is wrong; the token's value never
 * appears in a message.
 */
export function parseScimSettings(context: ConnectionContext): ScimSettings {
  const { connectionId, settings } = context;
  const fail = (setting: string, problem: string): never => {
    throw new ConnectorError(`SCIM connection ${connectionId}: setting "${setting}" ${problem}`, {
      kind: 'configuration',
    });
  };

  for (const key of Object.keys(settings)) {
    const dot = key.indexOf('.');
    if (dot === -1) {
      if (!connectionSettings.has(key)) fail(key, `is unknown (expected ${[...connectionSettings].join(', ')})`);
      continue;
    }
    const entityType = key.slice(0, dot);
    if (!(entityType in context.entityTypes))
      fail(key, `names entity type "${entityType}", which this connection does not serve`);
    if (!entityTypeSettings.has(key.slice(dot + 1))) {
      fail(key, `is unknown (expected <EntityType>.${[...entityTypeSettings].join(', <EntityType>.')})`);
    }
  }

  const baseUrl = parseBaseUrl(settings.baseUrl, fail);
  const token = parseToken(settings.token, fail);
  const timeoutMs = integerSetting(settings.timeoutMs, 'timeoutMs', defaults.timeoutMs, 1, 600_000, fail);
  const pageSize = integerSetting(settings.pageSize, 'pageSize', defaults.pageSize, 1, 10_000, fail);
  const incrementalExport = booleanSetting(settings.incrementalExport, 'incrementalExport', fail);

  const entityTypes: Record<string, ScimEntityTypeSettings> = {};
  for (const [id, entityType] of Object.entries(context.entityTypes)) {
    entityTypes[id] = parseEntityType(entityType, settings, fail);
  }
  for (const [id, resolved] of Object.entries(entityTypes)) {
    const membership = resolveMembership(context.entityTypes[id] as EntityType, resolved, entityTypes, settings, fail);
    entityTypes[id] = { ...resolved, membership };
  }

  return Object.freeze({
    connectionId,
    baseUrl,
    token,
    timeoutMs,
    pageSize,
    incrementalExport,
    entityTypes: Object.freeze(entityTypes),
  });
}

type Fail = (setting: string, problem: string) => never;

function parseBaseUrl(value: SettingValue | undefined, fail: Fail): string {
  if (typeof value !== 'string' || value.trim() === '')
    return fail('baseUrl', 'is required (e.g. https://host/scim/v2)');
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return fail('baseUrl', 'is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('baseUrl', 'must be an http or https URL');
  // Credentials belong in "token"; in the URL they would end up in messages and logs.
  if (url.username !== '' || url.password !== '') fail('baseUrl', 'must not contain credentials (use "token")');
  if (url.search !== '' || url.hash !== '') fail('baseUrl', 'must not contain a query or a fragment');
  return url.href.replace(/\/+$/, '');
}

function parseToken(value: SettingValue | undefined, fail: Fail): string {
  if (typeof value !== 'string' || value.trim() === '') return fail('token', 'is required (the bearer token)');
  // A line break would let the value forge other headers.
  if (/\s/.test(value)) return fail('token', 'must not contain whitespace');
  return value;
}

function integerSetting(
  value: SettingValue | undefined,
  setting: string,
  fallback: number,
  min: number,
  max: number,
  fail: Fail,
): number {
  if (value === undefined || value === null || value === '') return fallback;
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    return fail(setting, `must be an integer from ${min} to ${max}`);
  }
  return number;
}

function booleanSetting(value: SettingValue | undefined, setting: string, fail: Fail): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return fail(setting, 'must be true or false');
}

function parseEntityType(
  entityType: EntityType,
  settings: ConnectionContext['settings'],
  fail: Fail,
): ScimEntityTypeSettings {
  const id = entityType.id;
  const overrides = parseOverrides(entityType, settings[`${id}.attributes`], fail);
  const properties: Record<string, ScimPropertyMapping> = {};
  for (const property of Object.values(entityType.properties)) {
    if (property.kind !== 'scalar') continue;
    const fallback = defaultPaths[property.name];
    const text = overrides.get(property.name) ?? fallback?.path ?? property.name;
    const path = parseScimPath(text);
    if (typeof path === 'string') {
      return fail(`${id}.attributes`, `maps property "${property.name}" to ${path}`);
    }
    const template = overrides.has(property.name) ? {} : (fallback?.template ?? {});
    properties[property.name] = { property: property.name, path, type: property.type, template };
  }

  const key = properties[entityType.key];
  if (!key) return fail(`${id}.attributes`, `cannot map key property "${entityType.key}": it is not a scalar property`);
  const keyText =
    key.path.schema === null && key.path.filter.length === 0 && !key.path.subAttribute ? key.path.attribute : '';
  const resource = parseResource(settings[`${id}.resource`], `${id}.resource`, keyText, fail);
  const keyAttribute = resource === 'User' ? 'userName' : 'displayName';
  if (keyText.toLowerCase() !== keyAttribute.toLowerCase()) {
    fail(
      `${id}.attributes`,
      `must map key property "${entityType.key}" to ${keyAttribute} (the ${resource} identifier), not "${key.path.text}"`,
    );
  }
  return {
    entityType: id,
    resource,
    endpoint: resource === 'User' ? '/Users' : '/Groups',
    keyAttribute,
    keyProperty: entityType.key,
    properties,
    membership: null,
  };
}

function parseResource(
  value: SettingValue | undefined,
  setting: string,
  keyPath: string,
  fail: Fail,
): ScimResourceKind {
  if (value === undefined || value === null || value === '') {
    // Without the setting, the key tells: userName identifies Users, displayName Groups.
    if (keyPath.toLowerCase() === 'username') return 'User';
    if (keyPath.toLowerCase() === 'displayname') return 'Group';
    return fail(setting, 'is required (User or Group) when the key property does not map to userName or displayName');
  }
  if (typeof value === 'string' && /^users?$/i.test(value.trim())) return 'User';
  if (typeof value === 'string' && /^groups?$/i.test(value.trim())) return 'Group';
  return fail(setting, 'must be User or Group');
}

/** `property=scimPath` pairs separated by commas or new lines. */
function parseOverrides(entityType: EntityType, value: SettingValue | undefined, fail: Fail): Map<string, string> {
  const setting = `${entityType.id}.attributes`;
  const overrides = new Map<string, string>();
  if (value === undefined || value === null || value === '') return overrides;
  if (typeof value !== 'string') return fail(setting, 'must be a list of property=scimPath pairs');
  for (const pair of splitPairs(value)) {
    const equals = pair.indexOf('=');
    const property = pair.slice(0, equals).trim();
    const path = pair.slice(equals + 1).trim();
    if (equals === -1 || property === '' || path === '') fail(setting, `has "${pair}", which is not property=scimPath`);
    if (entityType.properties[property]?.kind !== 'scalar') {
      fail(setting, `maps "${property}", which is not a scalar property of ${entityType.id}`);
    }
    if (overrides.has(property)) fail(setting, `maps "${property}" twice`);
    overrides.set(property, path);
  }
  return overrides;
}

/** Splits on commas and new lines outside brackets and quotes (filters may hold both). */
function splitPairs(value: string): string[] {
  const pairs: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < value.length; i += 1) {
    const c = value[i] as string;
    if (quoted) {
      if (c === '\\') {
        current += c + (value[i + 1] ?? '');
        i += 1;
        continue;
      }
      if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '[') depth += 1;
    else if (c === ']') depth -= 1;
    else if ((c === ',' || c === '\n') && depth === 0) {
      if (current.trim() !== '') pairs.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim() !== '') pairs.push(current.trim());
  return pairs;
}

function resolveMembership(
  entityType: EntityType,
  resolved: ScimEntityTypeSettings,
  all: Readonly<Record<string, ScimEntityTypeSettings>>,
  settings: ConnectionContext['settings'],
  fail: Fail,
): ScimEntityTypeSettings['membership'] {
  const setting = `${entityType.id}.membership`;
  const navigations = Object.values(entityType.properties).filter((p) => p.kind === 'navigation');
  const explicit = settings[setting];
  if (resolved.resource === 'Group') {
    if (explicit !== undefined && explicit !== null && explicit !== '') {
      fail(setting, 'applies to User types only (memberships are written on the User side)');
    }
    const first = navigations[0];
    if (first) {
      fail(
        `${entityType.id}.resource`,
        `is Group, whose navigation "${first.name}" is not supported: declare the membership on the User type`,
      );
    }
    return null;
  }
  const isGroupNavigation = (name: string) => {
    const property = entityType.properties[name];
    return property?.kind === 'navigation' && all[property.target]?.resource === 'Group';
  };
  let name: string | null = null;
  if (explicit !== undefined && explicit !== null && explicit !== '') {
    if (typeof explicit !== 'string' || entityType.properties[explicit]?.kind !== 'navigation') {
      return fail(setting, `must name a navigation property of ${entityType.id}`);
    }
    if (!isGroupNavigation(explicit)) {
      return fail(setting, `names "${explicit}", whose target is not a Group entity type of this connection`);
    }
    name = explicit;
  } else {
    const candidates = navigations.filter((n) => isGroupNavigation(n.name));
    if (candidates.length === 1) name = candidates[0]?.name ?? null;
    else if (candidates.length > 1) return fail(setting, 'is required: several navigations lead to Group types');
  }
  const unsupported = navigations.find((n) => n.name !== name);
  if (unsupported) {
    fail(setting, `does not cover navigation "${unsupported.name}": a SCIM User has only its group memberships`);
  }
  if (name === null) return null;
  const property = entityType.properties[name];
  return { property: name, groupType: property?.kind === 'navigation' ? property.target : '' };
}
