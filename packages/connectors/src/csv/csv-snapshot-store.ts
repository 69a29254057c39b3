import { createHash, randomBytes } from 'node:crypto';
import { access, constants, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSystemError } from './file-system-error.ts';

/** What the last successful export of a file delivered: each key with the hash of its object. */
export interface CsvSnapshot {
  /** The export's cookie. */
  readonly id: string;
  readonly entityType: string;
  readonly rows: ReadonlyMap<string, number>;
}

const format = 'ordo-csv-snapshot/3';

interface SnapshotFile {
  format: string;
  id: string;
  entityType: string;
  savedAt: string;
  /** key, hash, key, hash...: an array rather than an object, so a key such as `__proto__` stays data. */
  rows: (string | number)[];
}

/**
 * Keeps one snapshot per connection and entity type in a state directory. A snapshot is replaced
 * by writing a temporary file, syncing it and renaming it over the old one, so a crash leaves
 * either the old snapshot or the new one, never half of one. A snapshot that cannot be read back
 * counts as lost: the next incremental export falls back to a complete one.
 */
export class CsvSnapshotStore {
  readonly path: string;

  constructor(
    private readonly directory: string,
    private readonly connectionId: string,
    entityType: string,
  ) {
    const safe = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '_');
    const tag = createHash('sha256').update(`${connectionId}\0${entityType}`).digest('hex').slice(0, 8);
    this.path = join(directory, `${safe(connectionId)}.${safe(entityType)}.${tag}.json`);
  }

  /** Creates the directory and checks it is writable, before an export delivers anything. */
  async prepare(): Promise<void> {
    try {
      await mkdir(this.directory, { recursive: true });
      await access(this.directory, constants.W_OK);
    } catch (error) {
      throw fileSystemError(this.connectionId, `cannot use the state directory ${this.directory}`, error, 'no');
    }
  }

  async load(): Promise<CsvSnapshot | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw fileSystemError(this.connectionId, `cannot read the snapshot ${this.path}`, error, 'no');
    }
    try {
      const file = JSON.parse(text) as Partial<SnapshotFile>;
      if (file.format !== format || typeof file.id !== 'string' || typeof file.entityType !== 'string') return null;
      if (!Array.isArray(file.rows) || file.rows.length % 2 !== 0) return null;
      const rows = new Map<string, number>();
      for (let i = 0; i < file.rows.length; i += 2) rows.set(String(file.rows[i]), Number(file.rows[i + 1]));
      return { id: file.id, entityType: file.entityType, rows };
    } catch {
      return null;
    }
  }

  async save(snapshot: CsvSnapshot): Promise<void> {
    const rows: (string | number)[] = [];
    for (const [key, hash] of snapshot.rows) rows.push(key, hash);
    const file: SnapshotFile = {
      format,
      id: snapshot.id,
      entityType: snapshot.entityType,
      savedAt: new Date().toISOString(),
      rows,
    };
    const temporary = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const handle = await open(temporary, 'wx');
      try {
        await handle.writeFile(JSON.stringify(file));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => {});
      throw fileSystemError(this.connectionId, `cannot save the snapshot ${this.path}`, error, 'no');
    }
  }
}
