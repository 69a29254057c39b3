import { createHash, randomBytes } from 'node:crypto';
import { access, constants, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ScalarValue } from '@ordo/core';
import type {
  Connector,
  ConnectorCapabilities,
  ConnectorFactory,
  ExportOutcome,
  ExportPage,
  ExportRequest,
  FulfilOperation,
  FulfilOutcome,
  ObjectState,
  ReadRequest,
} from '../connector.ts';
import { ConnectorError } from '../connector-error.ts';
import { CsvFileError } from './csv-file-error.ts';
import { CsvFulfilLog } from './csv-fulfil-log.ts';
import { type CsvSettings, type CsvSourceSettings, readCsvSettings } from './csv-settings.ts';
import { CsvSnapshotStore } from './csv-snapshot-store.ts';
import { diffCsvTable, hashTable } from './diff-csv-table.ts';
import { fileSystemError } from './file-system-error.ts';
import { type CsvTable, readCsvTable } from './read-csv-table.ts';

export { CsvFileError, type CsvProblem, type CsvProblemCode } from './csv-file-error.ts';
export { type WatchFileOptions, watchFile } from './watch-file.ts';

import { watchFile } from './watch-file.ts';

/**
 * Creates a CSV connector from a connection's settings (checked by {@link readCsvSettings}):
 * - with `path`, it exports an HR file as one entity type, completely or incrementally (the
 *   changes since the file last exported), and reads one object back from it;
 * - with `fulfilPath`, it fulfils by appending each operation as a row to that file.
 *
 * Settings (at least one of `path` and `fulfilPath`):
 * | setting | meaning | default |
 * |---|---|---|
 * | `path` | the HR file to export | none: no export, no read |
 * | `fulfilPath` | the file fulfilled operations are appended to (its directory must exist) | none: no fulfil |
 * | `delimiter` | one character, or `tab`; for both files | `,` |
 * | `encoding` | TextDecoder label of the exported file, decoded strictly | `utf-8` |
 * | `entityType` | the entity type the file holds | the connection's first |
 * | `<T>.keyColumn` | the column holding the key property | the key property's column |
 * | `<T>.columns` | `property=column` pairs, comma-separated; `property=` leaves a property out | column = property name |
 * | `stateDirectory` | where the snapshot for incremental exports is kept | `.ordo-csv-state` next to the file |
 *
 * Every property of the entity type must have its column in the file unless left out, so that a
 * renamed column refuses the file instead of silently emptying a property.
 * @throws ConnectorError kind `configuration` when a setting is missing or wrong.
 */
export const createCsvConnector: ConnectorFactory = (context) => new CsvConnector(readCsvSettings(context));

export interface CsvConnectorOptions {
  /** The clock that stamps fulfil rows. */
  readonly now?: () => Date;
}

/** A file read once: its objects (and their hashes once an export needed them), or why it was refused. */
type LoadedFile =
  | {
      readonly stamp: string;
      readonly table: CsvTable;
      readonly contentHash: string;
      hashes: Map<string, number> | null;
    }
  | { readonly stamp: string; readonly error: CsvFileError };

const defaultPageSize = 1000;

/** The connector over an HR export file and/or a fulfil file; see {@link createCsvConnector}. */
export class CsvConnector implements Connector {
  readonly capabilities: ConnectorCapabilities;
  private readonly source: CsvSourceSettings | null;
  private readonly snapshots: CsvSnapshotStore | null;
  private readonly log: CsvFulfilLog | null;
  /** The last file read, kept while it does not change, so that reads do not parse it each time. */
  private loaded: LoadedFile | null = null;
  private exporting: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly settings: CsvSettings,
    options: CsvConnectorOptions = {},
  ) {
    const exports = settings.source !== null;
    this.capabilities = {
      entityTypes: settings.entityTypes,
      completeExport: exports,
      incrementalExport: exports,
      fulfil: settings.fulfilPath !== null,
      readBack: exports,
    };
    this.source = settings.source;
    this.snapshots =
      this.source &&
      new CsvSnapshotStore(this.source.stateDirectory, settings.connectionId, this.source.mapping.entityType);
    this.log =
      settings.fulfilPath === null
        ? null
        : new CsvFulfilLog(settings.fulfilPath, settings.delimiter, settings.connectionId, options.now);
  }

  /** Exports at once when HR drops a new file, instead of at the agent's next interval. */
  watch(onChange: () => void): () => void {
    if (!this.source) return () => {};
    return watchFile(this.source.path, onChange);
  }

  async testConnection(): Promise<void> {
    const id = this.settings.connectionId;
    if (this.source) {
      try {
        await access(this.source.path, constants.R_OK);
      } catch (error) {
        throw fileSystemError(id, `cannot read ${this.source.path}`, error, 'no');
      }
      await this.snapshots?.prepare();
    }
    const fulfilPath = this.settings.fulfilPath;
    if (fulfilPath !== null) {
      try {
        await access(fulfilPath, constants.W_OK);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw fileSystemError(id, `cannot write ${fulfilPath}`, error, 'no');
        }
        try {
          await access(dirname(fulfilPath), constants.W_OK);
        } catch (dirError) {
          if ((dirError as NodeJS.ErrnoException).code === 'ENOENT') {
            throw new ConnectorError(
              `connection ${id}: setting "fulfilPath": the directory ${dirname(fulfilPath)} does not exist`,
              { kind: 'configuration' },
            );
          }
          throw fileSystemError(id, `cannot create ${fulfilPath}`, dirError, 'no');
        }
      }
    }
  }

  /**
   * Exports the file. The whole file is read and checked before the first page: a file with any
   * problem is refused with a {@link CsvFileError} and nothing is delivered. An incremental export
   * whose cookie matches the stored snapshot delivers the new and changed objects and the deleted
   * keys; any other runs complete. The snapshot is replaced only once every page was accepted.
   */
  export(request: ExportRequest, onPage: (page: ExportPage) => Promise<void>): Promise<ExportOutcome> {
    // One export at a time: two at once would race to replace the snapshot.
    const run = this.exporting.then(() =>
      this.exportNow(request, onPage).catch((error: unknown) => {
        // The consumer's own failure goes back to it untouched; anything else is classified.
        if (error instanceof ConsumerFailure) throw error.cause;
        throw classified(error, `connection ${this.settings.connectionId}: export failed`, 'no');
      }),
    );
    this.exporting = run.catch(() => {});
    return run;
  }

  private async exportNow(request: ExportRequest, onPage: (page: ExportPage) => Promise<void>): Promise<ExportOutcome> {
    const source = this.requireSource('export', request.entityType);
    const snapshots = this.snapshots as CsvSnapshotStore;
    await snapshots.prepare();
    const file = await this.loadFile(source);
    const pageSize = Math.max(1, Math.floor(request.pageSize ?? defaultPageSize));
    const hashes = (file.hashes ??= hashTable(file.table));

    const previous = request.mode === 'incremental' && request.cookie !== null ? await snapshots.load() : null;
    if (previous !== null && previous.id === request.cookie && previous.entityType === source.mapping.entityType) {
      const { changed, deletedKeys } = diffCsvTable(file.table, hashes, previous.rows);
      await deliver(changed, deletedKeys, pageSize, onPage);
      if (changed.length === 0 && deletedKeys.length === 0) return { mode: 'incremental', cookie: previous.id };
      const id = snapshotId(file.contentHash);
      await snapshots.save({ id, entityType: source.mapping.entityType, rows: hashes });
      return { mode: 'incremental', cookie: id };
    }
    await deliver(file.table.objects, null, pageSize, onPage);
    const id = snapshotId(file.contentHash);
    await snapshots.save({ id, entityType: source.mapping.entityType, rows: hashes });
    return { mode: 'complete', cookie: id };
  }

  /** Appends the operation to the fulfil file, unless it is already its key's last row. */
  async fulfil(operation: FulfilOperation): Promise<FulfilOutcome> {
    const id = this.settings.connectionId;
    if (this.log === null) {
      throw new ConnectorError(`connection ${id} does not fulfil: setting "fulfilPath" is not set`, {
        kind: 'configuration',
      });
    }
    if (!this.settings.entityTypes.includes(operation.entityType)) {
      throw new ConnectorError(`connection ${id} does not serve entity type ${operation.entityType}`, {
        kind: 'configuration',
      });
    }
    if (operation.key.trim() === '') {
      throw new ConnectorError(
        `connection ${id}: cannot ${operation.kind} a ${operation.entityType} with an empty key`,
        {
          kind: 'schema',
        },
      );
    }
    return this.log
      .append(operation)
      .catch((error: unknown) =>
        Promise.reject(classified(error, `connection ${id}: ${operation.kind} failed`, 'maybe')),
      );
  }

  /**
   * Finds the object in the export file as it is now (not in the fulfil file: what was asked is
   * not proof that it was done). Only the requested values are returned, with every link.
   */
  read(request: ReadRequest): Promise<ObjectState | null> {
    return this.readNow(request).catch((error: unknown) =>
      Promise.reject(classified(error, `connection ${this.settings.connectionId}: read failed`, 'no')),
    );
  }

  private async readNow(request: ReadRequest): Promise<ObjectState | null> {
    const source = this.requireSource('read', request.entityType);
    const { table } = await this.loadFile(source);
    const index = table.byKey.get(request.key);
    const found = index === undefined ? undefined : table.objects[index];
    if (found === undefined) return null;
    const values: Record<string, ScalarValue> = {};
    for (const property of request.properties) {
      const value = found.values[property];
      if (value !== undefined) values[property] = value;
    }
    const links = Object.fromEntries(Object.entries(found.links).map(([property, keys]) => [property, [...keys]]));
    return { entityType: found.entityType, key: found.key, values, links };
  }

  async close(): Promise<void> {
    this.loaded = null;
  }

  private requireSource(action: 'export' | 'read', entityType: string): CsvSourceSettings {
    const id = this.settings.connectionId;
    if (this.source === null) {
      throw new ConnectorError(`connection ${id} cannot ${action}: setting "path" (the file to export) is not set`, {
        kind: 'configuration',
      });
    }
    if (entityType !== this.source.mapping.entityType) {
      throw new ConnectorError(
        `connection ${id} cannot ${action} ${entityType}: its file holds ${this.source.mapping.entityType}`,
        { kind: 'configuration' },
      );
    }
    return this.source;
  }

  /**
   * Reads and checks the file, or reuses the last reading while the file is unchanged. Bytes and
   * stamp come from one open file, so a file renamed over the path mid-read cannot mix the two.
   */
  private async loadFile(source: CsvSourceSettings): Promise<Extract<LoadedFile, { table: CsvTable }>> {
    const id = this.settings.connectionId;
    const cached = this.loaded;
    let bytes: Buffer | null = null;
    let stamp: string;
    try {
      const handle = await open(source.path, 'r');
      try {
        const s = await handle.stat({ bigint: true });
        stamp = `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`;
        if (cached?.stamp !== stamp) bytes = await handle.readFile();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw fileSystemError(id, `cannot read ${source.path}`, error, 'no');
    }
    if (bytes === null) return unwrap(cached as LoadedFile);
    const format = { encoding: source.encoding, delimiter: this.settings.delimiter, mapping: source.mapping };
    try {
      const table = readCsvTable(bytes, format, `connection ${id}: file ${source.path}`);
      const contentHash = createHash('sha256').update(bytes).digest('hex');
      this.loaded = { stamp, table, contentHash, hashes: null };
    } catch (error) {
      if (!(error instanceof CsvFileError)) throw error;
      this.loaded = { stamp, error };
    }
    return unwrap(this.loaded);
  }
}

function unwrap(loaded: LoadedFile): Extract<LoadedFile, { table: CsvTable }> {
  if ('error' in loaded) throw loaded.error;
  return loaded;
}

/** A cookie names one export, not just one content: the same file exported twice gets two. */
function snapshotId(contentHash: string): string {
  return `${contentHash.slice(0, 16)}-${randomBytes(6).toString('base64url')}`;
}

/** Marks a failure of the export's consumer, which is not the connector's to classify. */
class ConsumerFailure {
  constructor(readonly cause: unknown) {}
}

/** Anything unexpected still leaves as a ConnectorError: `unknown`, and applied as the caller says. */
function classified(error: unknown, context: string, applied: 'no' | 'maybe'): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectorError(`${context}: ${message}`, { kind: 'unknown', applied, retryable: false }, { cause: error });
}

/** Pages of objects and of deleted keys (null for a complete export), at least one page. */
async function deliver(
  objects: readonly ObjectState[],
  deletedKeys: readonly string[] | null,
  pageSize: number,
  onPage: (page: ExportPage) => Promise<void>,
): Promise<void> {
  const pages = Math.max(1, Math.ceil(objects.length / pageSize), Math.ceil((deletedKeys?.length ?? 0) / pageSize));
  for (let page = 0; page < pages; page += 1) {
    const from = page * pageSize;
    const slice = objects.slice(from, from + pageSize);
    const content =
      deletedKeys === null
        ? { objects: slice }
        : { objects: slice, deletedKeys: deletedKeys.slice(from, from + pageSize) };
    try {
      await onPage(content);
    } catch (error) {
      throw new ConsumerFailure(error);
    }
  }
}
