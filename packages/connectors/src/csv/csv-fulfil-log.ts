import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ScalarValue } from '@ordo/core';
import type { FulfilOperation, FulfilOutcome } from '../connector.ts';
import { ConnectorError } from '../connector-error.ts';
import { formatCsvRecord, parseCsv } from './csv-parser.ts';
import { fileSystemError } from './file-system-error.ts';

/** The columns of a fulfil file, in order. */
export const fulfilColumns = ['at', 'operation', 'entityType', 'key', 'values', 'addLinks', 'removeLinks'] as const;

/**
 * A file fulfiller: each operation is appended as one row (`at, operation, entityType, key,
 * values, addLinks, removeLinks`, the last three as JSON with sorted keys), for a person or a
 * downstream job to carry out. The file is UTF-8 with CRLF line ends, header first.
 *
 * Ensure semantics: an operation whose content (operation, entity type, key, values and links,
 * not the time) is the same as the last row already written for that key is not written again.
 * The log remembers a content hash of each key's last row; it reads only what others appended
 * since its last look, and the whole file again if the file was replaced, truncated or rewritten.
 * Appends are serialized, and each is synced to disk before the outcome is returned.
 */
export class CsvFulfilLog {
  /** `entityType \0 key` → content hash of the last row for that key. */
  private readonly lastRows = new Map<string, string>();
  /** How far the file was read: its inode, size, and last bytes (to notice a file rewritten in place). */
  private indexed: IndexedFile | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly delimiter: string,
    private readonly connectionId: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Appends the operation's row unless it is already the last row for its key. */
  append(operation: FulfilOperation): Promise<FulfilOutcome> {
    const run = this.queue.then(() => this.appendNow(operation));
    this.queue = run.catch(() => {});
    return run;
  }

  private async appendNow(operation: FulfilOperation): Promise<FulfilOutcome> {
    const fields = rowFields(operation);
    const hash = contentHash(fields);
    const indexKey = `${operation.entityType}\0${operation.key}`;
    let handle: FileHandle;
    try {
      // Read and append through one descriptor: O_APPEND writes at the end whatever was read.
      handle = await open(this.path, 'a+');
    } catch (error) {
      throw this.openError(error);
    }
    try {
      const state = await this.catchUp(handle);
      if (this.lastRows.get(indexKey) === hash) return { changed: false, key: operation.key };

      const header = state.size === 0n ? formatCsvRecord(fulfilColumns, this.delimiter) : '';
      const separator = state.size === 0n || state.tail.at(-1) === 0x0a ? '' : '\r\n';
      const row = formatCsvRecord([this.now().toISOString(), ...fields], this.delimiter);
      const bytes = Buffer.from(header + separator + row, 'utf8');
      try {
        await handle.appendFile(bytes);
        await handle.datasync();
      } catch (error) {
        this.forget();
        throw fileSystemError(this.connectionId, `cannot append to ${this.path}`, error, 'maybe');
      }
      this.lastRows.set(indexKey, hash);
      const after = await handle.stat({ bigint: true }).catch(() => null);
      // Someone else appending at the same moment makes the byte count unreliable: re-read next time.
      if (after?.ino === state.inode && after.size === state.size + BigInt(bytes.length)) {
        this.indexed = { inode: state.inode, size: after.size, tail: tailOf(state.tail, bytes) };
      } else this.forget();
      return { changed: true, key: operation.key };
    } finally {
      await handle.close().catch(() => {});
    }
  }

  /** Brings the index of last rows up to date with the file; returns how far it was read. */
  private async catchUp(handle: FileHandle): Promise<IndexedFile> {
    let current: { ino: bigint; size: bigint };
    try {
      current = await handle.stat({ bigint: true });
    } catch (error) {
      throw fileSystemError(this.connectionId, `cannot read ${this.path}`, error, 'no');
    }
    const known = this.indexed;
    let from = 0n;
    let fresh: Buffer | null = null;
    if (known !== null && known.inode === current.ino && known.size <= current.size) {
      const tailStart = known.size - BigInt(known.tail.length);
      const bytes = await this.readRange(handle, tailStart, current.size);
      if (bytes.subarray(0, known.tail.length).equals(known.tail)) {
        from = known.size;
        fresh = bytes.subarray(known.tail.length);
      }
    }
    if (fresh === null) {
      this.lastRows.clear();
      fresh = await this.readRange(handle, 0n, current.size);
    }
    this.index(fresh.toString('utf8'), from === 0n);
    const tail = from === 0n ? tailOf(Buffer.alloc(0), fresh) : tailOf((known as IndexedFile).tail, fresh);
    this.indexed = { inode: current.ino, size: from + BigInt(fresh.length), tail };
    return this.indexed;
  }

  private forget(): void {
    this.indexed = null;
    this.lastRows.clear();
  }

  private async readRange(handle: FileHandle, from: bigint, to: bigint): Promise<Buffer> {
    if (to <= from) return Buffer.alloc(0);
    try {
      const buffer = Buffer.alloc(Number(to - from));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, Number(from));
      return buffer.subarray(0, bytesRead);
    } catch (error) {
      throw fileSystemError(this.connectionId, `cannot read ${this.path}`, error, 'no');
    }
  }

  private index(text: string, fromStart: boolean): void {
    const { records } = parseCsv(text, { delimiter: this.delimiter });
    if (fromStart) {
      const header = records.shift();
      const expected = fulfilColumns.join(this.delimiter);
      if (header !== undefined && header.cells.map((cell) => cell.trim()).join(this.delimiter) !== expected) {
        throw new ConnectorError(
          `connection ${this.connectionId}: ${this.path} is not a fulfil file of this connector: its header is not "${expected}"`,
          { kind: 'configuration' },
        );
      }
    }
    for (const { cells } of records) {
      // A row cut short by a crash during a write has fewer cells: it records nothing.
      if (cells.length !== fulfilColumns.length) continue;
      const fields = cells.slice(1) as RowFields;
      this.lastRows.set(`${fields[1]}\0${fields[2]}`, contentHash(fields));
    }
  }

  private openError(error: unknown): ConnectorError {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return new ConnectorError(
        `connection ${this.connectionId}: setting "fulfilPath": the directory ${dirname(this.path)} does not exist`,
        { kind: 'configuration' },
        { cause: error },
      );
    }
    return fileSystemError(this.connectionId, `cannot open ${this.path}`, error, 'no');
  }
}

interface IndexedFile {
  readonly inode: bigint;
  readonly size: bigint;
  readonly tail: Buffer;
}

const tailBytes = 64;

function tailOf(previous: Buffer, appended: Buffer): Buffer {
  const joined = appended.length >= tailBytes ? appended : Buffer.concat([previous, appended]);
  return Buffer.from(joined.subarray(Math.max(0, joined.length - tailBytes)));
}

/** operation, entityType, key, values, addLinks, removeLinks: the row without its time. */
type RowFields = [string, string, string, string, string, string];

function rowFields(operation: FulfilOperation): RowFields {
  const { kind, entityType, key } = operation;
  switch (kind) {
    case 'create':
      return [kind, entityType, key, valuesJson(operation.values), linksJson(operation.links), '{}'];
    case 'update':
      return [
        kind,
        entityType,
        key,
        valuesJson(operation.values),
        linksJson(operation.addLinks),
        linksJson(operation.removeLinks),
      ];
    case 'delete':
      return [kind, entityType, key, '{}', '{}', '{}'];
  }
}

function valuesJson(values: Readonly<Record<string, ScalarValue>>): string {
  const sorted = Object.keys(values)
    .sort()
    .map((name) => [name, values[name]]);
  return JSON.stringify(Object.fromEntries(sorted));
}

/** Links as sets: sorted, without repeats, without empty lists. */
function linksJson(links: Readonly<Record<string, readonly string[]>>): string {
  const sorted = Object.keys(links)
    .sort()
    .filter((name) => (links[name]?.length ?? 0) > 0)
    .map((name) => [name, [...new Set(links[name])].sort()]);
  return JSON.stringify(Object.fromEntries(sorted));
}

function contentHash(fields: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url');
}
