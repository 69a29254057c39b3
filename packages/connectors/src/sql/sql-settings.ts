import type { EntityType, ScalarType } from '@ordo/core';
import type { ConnectionContext } from '../connector.ts';
import { ConnectorError } from '../connector-error.ts';

/** The SQL engines the connector speaks to; MariaDB and MySQL share one wire protocol and dialect. */
export type SqlDialectName = 'postgres' | 'mysql' | 'sqlite';

/** A scalar property stored in a column of the entity type's table. */
export interface SqlColumnMapping {
  readonly property: string;
  readonly column: string;
  readonly type: ScalarType;
}

/** A navigation property stored as rows of a link table (one row per link). */
export interface SqlLinkMapping {
  readonly navigation: string;
  /** Entity type the navigation points to, whose keys the target column holds. */
  readonly target: string;
  readonly table: string;
  /** Holds the key of the object that owns the navigation. */
  readonly sourceColumn: string;
  /** Holds the key of the linked object. */
  readonly targetColumn: string;
}

/** How one entity type is stored: its table, key column, columns and link tables. */
export interface SqlEntityMapping {
  readonly entityType: string;
  readonly table: string;
  readonly keyProperty: string;
  readonly keyType: ScalarType;
  readonly keyColumn: string;
  /** Every scalar property, by property name (the key property included, on the key column). */
  readonly columns: Readonly<Record<string, SqlColumnMapping>>;
  /** A timestamp or increasing version column maintained by the database, or null. */
  readonly incrementalColumn: string | null;
  /** Navigations with a link table, by navigation name. Navigations without one are not served. */
  readonly links: Readonly<Record<string, SqlLinkMapping>>;
}

/** A connection's settings, validated once and frozen. */
export interface SqlSettings {
  readonly connectionId: string;
  readonly dialect: SqlDialectName;
  /** As configured (`mariadb` and `mysql` both run the mysql dialect); for messages. */
  readonly dialectLabel: string;
  readonly url: string | null;
  readonly path: string | null;
  readonly password: string | null;
  readonly poolSize: number;
  readonly connectTimeoutMs: number;
  readonly entityTypes: Readonly<Record<string, SqlEntityMapping>>;
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
const qualifiedIdentifier = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;
const dialects: Readonly<Record<string, SqlDialectName>> = {
  postgres: 'postgres',
  mariadb: 'mysql',
  mysql: 'mysql',
  sqlite: 'sqlite',
};
const topLevelSettings = new Set(['dialect', 'url', 'path', 'password', 'poolSize', 'connectTimeoutMs']);
const entitySettings = new Set(['table', 'keyColumn', 'columns', 'incrementalColumn']);
const linkSettings = new Set(['linkTable', 'sourceColumn', 'targetColumn']);

/**
 * Reads and checks a connection's settings, so that a wrong setting fails when the connector is
 * created (kind `configuration`, naming the setting) rather than on the first order. Identifiers
 * are checked against a strict pattern because they end up in SQL text (quoted, but never trusted).
 */
export function parseSqlSettings(context: ConnectionContext): SqlSettings {
  const { connectionId, settings } = context;
  const fail = (setting: string, problem: string): never => {
    throw new ConnectorError(`connection ${connectionId}: setting "${setting}" ${problem}`, { kind: 'configuration' });
  };
  const text = (setting: string): string | null => {
    const value = settings[setting];
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string') return fail(setting, `must be a string, not ${typeof value}`);
    return value;
  };
  const positiveInteger = (setting: string, fallback: number): number => {
    const value = settings[setting];
    if (value === undefined || value === null || value === '') return fallback;
    const number = typeof value === 'string' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) {
      return fail(setting, 'must be a positive integer');
    }
    return number;
  };
  const name = (setting: string, pattern: RegExp = identifier): string | null => {
    const value = text(setting);
    if (value !== null && !pattern.test(value)) {
      fail(
        setting,
        `must be an SQL identifier (letters, digits, _${pattern === qualifiedIdentifier ? ', optionally schema.table' : ''})`,
      );
    }
    return value;
  };

  for (const setting of Object.keys(settings)) {
    const dot = setting.indexOf('.');
    if (dot < 0) {
      if (!topLevelSettings.has(setting)) fail(setting, 'is not a setting of SQL connections');
      continue;
    }
    const entityType = context.entityTypes[setting.slice(0, dot)];
    if (!entityType)
      fail(setting, `names entity type "${setting.slice(0, dot)}", which this connection does not serve`);
    const rest = setting.slice(dot + 1).split('.');
    const [first, second] = rest;
    if (rest.length === 1 && first !== undefined && entitySettings.has(first)) continue;
    if (rest.length === 2 && first !== undefined && second !== undefined && linkSettings.has(second)) {
      if (entityType?.properties[first]?.kind !== 'navigation') {
        fail(setting, `names "${first}", which is not a navigation property of ${entityType?.id}`);
      }
      continue;
    }
    fail(setting, 'is not a setting of SQL connections');
  }

  const dialectLabel = text('dialect') ?? fail('dialect', 'is required (postgres, mariadb, mysql or sqlite)');
  const dialect = dialects[dialectLabel] ?? fail('dialect', 'must be postgres, mariadb, mysql or sqlite');
  const url = text('url');
  const path = text('path');
  if (dialect === 'sqlite') {
    if (path === null) fail('path', 'is required for sqlite (the database file)');
    if (url !== null) fail('url', 'does not apply to sqlite; use "path"');
  } else {
    if (url === null) fail('url', `is required for ${dialectLabel}`);
    if (path !== null) fail('path', `does not apply to ${dialectLabel}; use "url"`);
    checkUrl(url ?? '', dialect, (problem) => fail('url', problem));
  }

  const entityTypes: Record<string, SqlEntityMapping> = {};
  for (const entityType of Object.values(context.entityTypes)) {
    entityTypes[entityType.id] = mapEntityType(entityType, { text, name, fail });
  }
  for (const mapping of Object.values(entityTypes)) {
    for (const link of Object.values(mapping.links)) {
      if (!entityTypes[link.target]) {
        fail(
          `${mapping.entityType}.${link.navigation}.linkTable`,
          `links to entity type ${link.target}, which this connection does not serve`,
        );
      }
    }
  }

  return deepFreeze({
    connectionId,
    dialect,
    dialectLabel,
    url,
    path,
    password: text('password'),
    poolSize: positiveInteger('poolSize', 10),
    connectTimeoutMs: positiveInteger('connectTimeoutMs', 10_000),
    entityTypes,
  });
}

interface Readers {
  text(setting: string): string | null;
  name(setting: string, pattern?: RegExp): string | null;
  fail(setting: string, problem: string): never;
}

function mapEntityType(entityType: EntityType, { text, name, fail }: Readers): SqlEntityMapping {
  const id = entityType.id;
  const table =
    name(`${id}.table`, qualifiedIdentifier) ?? fail(`${id}.table`, 'is required (the table that holds them)');
  const keyProperty = entityType.properties[entityType.key];
  if (keyProperty?.kind !== 'scalar') {
    fail(`${id}.keyColumn`, `cannot be mapped: the key "${entityType.key}" is not a scalar property of ${id}`);
  }
  const overrides = parseColumnOverrides(entityType, text(`${id}.columns`), (problem) =>
    fail(`${id}.columns`, problem),
  );
  const keyColumn = name(`${id}.keyColumn`) ?? overrides[entityType.key] ?? entityType.key;
  if (!identifier.test(keyColumn)) fail(`${id}.keyColumn`, 'is required: the key property is not an SQL identifier');
  if (overrides[entityType.key] !== undefined && overrides[entityType.key] !== keyColumn) {
    fail(`${id}.columns`, `maps the key "${entityType.key}" to a column other than ${id}.keyColumn`);
  }

  const columns: Record<string, SqlColumnMapping> = {};
  const links: Record<string, SqlLinkMapping> = {};
  for (const property of Object.values(entityType.properties)) {
    if (property.kind === 'scalar') {
      const column = property.name === entityType.key ? keyColumn : (overrides[property.name] ?? property.name);
      if (!identifier.test(column)) {
        fail(`${id}.columns`, `has no column for "${property.name}", whose name is not an SQL identifier`);
      }
      columns[property.name] = { property: property.name, column, type: property.type };
      continue;
    }
    const prefix = `${id}.${property.name}`;
    const linkTable = name(`${prefix}.linkTable`, qualifiedIdentifier);
    const sourceColumn = name(`${prefix}.sourceColumn`);
    const targetColumn = name(`${prefix}.targetColumn`);
    if (linkTable === null) {
      if (sourceColumn !== null || targetColumn !== null) fail(`${prefix}.linkTable`, 'is required with its columns');
      continue;
    }
    links[property.name] = {
      navigation: property.name,
      target: property.target,
      table: linkTable,
      sourceColumn: sourceColumn ?? fail(`${prefix}.sourceColumn`, 'is required with a link table'),
      targetColumn: targetColumn ?? fail(`${prefix}.targetColumn`, 'is required with a link table'),
    };
  }
  return {
    entityType: id,
    table,
    keyProperty: entityType.key,
    keyType: columns[entityType.key]?.type ?? 'string',
    keyColumn,
    columns,
    incrementalColumn: name(`${id}.incrementalColumn`),
    links,
  };
}

/** `property=column,property=column`: column names that differ from the property names. */
function parseColumnOverrides(
  entityType: EntityType,
  value: string | null,
  fail: (problem: string) => never,
): Record<string, string> {
  const overrides: Record<string, string> = {};
  if (value === null) return overrides;
  for (const pair of value.split(',')) {
    const [property = '', column = '', ...extra] = pair.split('=').map((part) => part.trim());
    if (extra.length > 0 || property === '' || column === '') fail(`has "${pair}", not property=column`);
    if (entityType.properties[property]?.kind !== 'scalar') {
      fail(`names "${property}", which is not a scalar property of ${entityType.id}`);
    }
    if (!identifier.test(column)) fail(`maps "${property}" to a column that is not an SQL identifier`);
    if (overrides[property] !== undefined) fail(`maps "${property}" twice`);
    overrides[property] = column;
  }
  return overrides;
}

/** Never echoes the URL: it may carry a password. */
function checkUrl(url: string, dialect: SqlDialectName, fail: (problem: string) => never): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    fail('is not a valid URL');
    return;
  }
  const protocols = dialect === 'postgres' ? ['postgres:', 'postgresql:'] : ['mysql:', 'mariadb:'];
  if (!protocols.includes(parsed.protocol)) {
    fail(`must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  if (parsed.hostname === '') fail('has no host');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
