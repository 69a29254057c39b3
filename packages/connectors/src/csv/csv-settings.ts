import { dirname, join, resolve } from 'node:path';
import type { EntityType, ScalarType } from '@ordo/core';
import type { ConnectionContext } from '../connector.ts';
import { ConnectorError } from '../connector-error.ts';

/** Where one property of the exported entity type is read from in the file. */
export type CsvColumn =
  | { readonly property: string; readonly column: string; readonly kind: 'scalar'; readonly type: ScalarType }
  | { readonly property: string; readonly column: string; readonly kind: 'navigation'; readonly multiValued: boolean };

/** How the file's columns become one entity type's objects. */
export interface CsvMapping {
  readonly entityType: string;
  readonly keyProperty: string;
  readonly keyColumn: string;
  /** Every property read from the file, in the entity type's order (the key property included). */
  readonly columns: readonly CsvColumn[];
}

/** The export side: an HR file read as one entity type. */
export interface CsvSourceSettings {
  readonly path: string;
  readonly encoding: string;
  readonly mapping: CsvMapping;
  /** Where the snapshot of the last exported file is kept, for incremental exports. */
  readonly stateDirectory: string;
}

/** A CSV connection's settings, checked and with defaults applied. */
export interface CsvSettings {
  readonly connectionId: string;
  readonly delimiter: string;
  readonly source: CsvSourceSettings | null;
  /** The file each fulfilled operation is appended to; null when the connection only exports. */
  readonly fulfilPath: string | null;
  /** Entity types the connection fulfils (every one of the connection) or exports (the file's). */
  readonly entityTypes: readonly string[];
}

const connectionSettings = new Set(['path', 'fulfilPath', 'delimiter', 'encoding', 'entityType', 'stateDirectory']);
const entityTypeSettings = new Set(['keyColumn', 'columns']);

/**
 * Reads and checks a CSV connection's settings. Every mistake is a `configuration` error that
 * names the connection and the setting, raised when the connector is created rather than at the
 * first export.
 */
export function readCsvSettings(context: ConnectionContext): CsvSettings {
  const id = context.connectionId;
  const fail = (setting: string, problem: string): never => {
    throw new ConnectorError(`connection ${id}: setting "${setting}" ${problem}`, { kind: 'configuration' });
  };
  const text = (setting: string, blankAllowed = false): string | null => {
    const value = context.settings[setting];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') return fail(setting, `must be text, not ${typeof value}`);
    if (value === '' || (!blankAllowed && value.trim() === '')) return fail(setting, 'is empty');
    return value;
  };

  for (const setting of Object.keys(context.settings)) {
    const dot = setting.lastIndexOf('.');
    const known =
      dot === -1 ? connectionSettings.has(setting) : entityTypeSettings.has(setting.slice(dot + 1)) && dot > 0;
    if (!known) {
      fail(
        setting,
        `is unknown; a CSV connection takes ${[...connectionSettings].join(', ')}, <EntityType>.keyColumn and <EntityType>.columns`,
      );
    }
  }

  const path = text('path');
  const fulfilPath = text('fulfilPath');
  if (path === null && fulfilPath === null)
    fail('path', 'or "fulfilPath" is required (the file to export or to fulfil into)');

  // A tab is blank, and a fine delimiter.
  let delimiter = text('delimiter', true) ?? ',';
  if (delimiter === 'tab') delimiter = '\t';
  if (delimiter.length !== 1 || /["\r\n]/.test(delimiter)) {
    fail(
      'delimiter',
      `must be one character other than a quote or a line break (or "tab"), not ${JSON.stringify(delimiter)}`,
    );
  }

  const encoding = text('encoding') ?? 'utf-8';
  try {
    new TextDecoder(encoding);
  } catch {
    fail('encoding', `names no encoding this runtime knows: ${JSON.stringify(encoding)}`);
  }

  const typeIds = Object.keys(context.entityTypes);
  let source: CsvSourceSettings | null = null;
  if (path === null) {
    for (const setting of ['entityType', 'encoding', 'stateDirectory']) {
      if (text(setting) !== null) fail(setting, 'only applies to an exported file, and "path" is not set');
    }
    for (const setting of Object.keys(context.settings)) {
      if (setting.includes('.')) fail(setting, 'only applies to an exported file, and "path" is not set');
    }
  } else {
    const entityTypeId = text('entityType') ?? typeIds[0];
    if (entityTypeId === undefined) fail('entityType', 'is needed: the connection serves no entity type');
    const entityType = context.entityTypes[entityTypeId as string];
    if (entityType === undefined) {
      fail(
        'entityType',
        `names "${entityTypeId}", which is not among the connection's entity types (${typeIds.join(', ')})`,
      );
    }
    for (const setting of Object.keys(context.settings)) {
      const dot = setting.lastIndexOf('.');
      if (dot > 0 && setting.slice(0, dot) !== entityTypeId) {
        fail(setting, `is for entity type "${setting.slice(0, dot)}", but the file serves "${entityTypeId}"`);
      }
    }
    const absolute = resolve(path);
    source = {
      path: absolute,
      encoding,
      mapping: readMapping(entityType as EntityType, text, fail),
      stateDirectory: resolve(text('stateDirectory') ?? join(dirname(absolute), '.ordo-csv-state')),
    };
  }

  if (source !== null && fulfilPath !== null && resolve(fulfilPath) === source.path) {
    fail('fulfilPath', 'is the exported file itself: orders would be written into the HR file');
  }

  const entityTypes = new Set<string>();
  if (source) entityTypes.add(source.mapping.entityType);
  if (fulfilPath !== null) for (const t of typeIds) entityTypes.add(t);
  return {
    connectionId: id,
    delimiter,
    source,
    fulfilPath: fulfilPath === null ? null : resolve(fulfilPath),
    entityTypes: [...entityTypes],
  };
}

function readMapping(
  entityType: EntityType,
  text: (setting: string) => string | null,
  fail: (setting: string, problem: string) => never,
): CsvMapping {
  const columnsSetting = `${entityType.id}.columns`;
  const keyColumnSetting = `${entityType.id}.keyColumn`;
  const overrides = new Map<string, string>();
  for (const entry of (text(columnsSetting) ?? '').split(/[,\n]/)) {
    if (entry.trim() === '') continue;
    const equals = entry.indexOf('=');
    if (equals === -1) fail(columnsSetting, `needs property=column pairs separated by commas, not "${entry.trim()}"`);
    const property = entry.slice(0, equals).trim();
    const column = entry.slice(equals + 1).trim();
    if (!(property in entityType.properties)) {
      fail(columnsSetting, `maps "${property}", which is not a property of ${entityType.id}`);
    }
    if (overrides.has(property)) fail(columnsSetting, `maps "${property}" twice`);
    overrides.set(property, column);
  }

  const key = entityType.properties[entityType.key];
  if (key?.kind !== 'scalar') {
    fail(
      keyColumnSetting,
      `cannot apply: ${entityType.id}'s key "${entityType.key}" is not one of its scalar properties`,
    );
  }
  const keyColumn = text(keyColumnSetting);
  const keyOverride = overrides.get(entityType.key);
  if (keyColumn !== null && keyOverride !== undefined && keyOverride !== keyColumn) {
    fail(
      keyColumnSetting,
      `says "${keyColumn}" but "${columnsSetting}" maps the key "${entityType.key}" to "${keyOverride}"`,
    );
  }
  if (keyOverride === '') fail(columnsSetting, `cannot leave out the key property "${entityType.key}"`);
  if (keyColumn !== null) overrides.set(entityType.key, keyColumn.trim());

  const columns: CsvColumn[] = [];
  for (const [name, property] of Object.entries(entityType.properties)) {
    const column = overrides.get(name) ?? name;
    // An empty column name leaves the property out: the file does not carry it.
    if (column === '') continue;
    columns.push(
      property.kind === 'scalar'
        ? { property: name, column, kind: 'scalar', type: property.type }
        : { property: name, column, kind: 'navigation', multiValued: property.multiValued },
    );
  }
  return {
    entityType: entityType.id,
    keyProperty: entityType.key,
    keyColumn: overrides.get(entityType.key) ?? entityType.key,
    columns,
  };
}
