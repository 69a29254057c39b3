import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import type { Model } from '@ordo/core';
import Database from 'better-sqlite3';

/**
 * Puts the working files of the example's connections in place, afresh, where the connectors will
 * look for them (their `path` settings, relative to the working directory as the connectors
 * `resolve()` them): each CSV source gets a copy of `<example>/hr/<its file name>` and its state
 * directory is emptied; each SQLite database is created anew from `<example>/<its name>.sql`.
 * A connection without a matching file in the example is left alone.
 * @returns one line per file put in place, for the demo's printout.
 */
export async function prepareDemoFiles(model: Model, example: string): Promise<string[]> {
  const done: string[] = [];
  for (const connector of Object.values(model.connectors)) {
    for (const connection of Object.values(connector.connections)) {
      const settings = connection.settings;
      const path = typeof settings.path === 'string' ? settings.path : null;
      if (path === null) continue;
      const target = resolve(path);
      if (connection.kind === 'csv') {
        const source = join(example, 'hr', basename(target));
        if (!(await exists(source))) continue;
        // The snapshot of a previous run would make the first export an incremental one.
        const state =
          typeof settings.stateDirectory === 'string'
            ? resolve(settings.stateDirectory)
            : join(dirname(target), '.ordo-csv-state');
        await rm(state, { recursive: true, force: true });
        await mkdir(dirname(target), { recursive: true });
        await copyFile(source, target);
        done.push(`${connection.id}: ${source} copied to ${shown(target)} (edit it to see the agent pick changes up)`);
      } else if (connection.kind === 'sql' && settings.dialect === 'sqlite') {
        const seed = join(example, `${basename(target, extname(target))}.sql`);
        if (!(await exists(seed))) continue;
        for (const suffix of ['', '-wal', '-shm', '-journal']) await rm(`${target}${suffix}`, { force: true });
        await mkdir(dirname(target), { recursive: true });
        const database = new Database(target);
        try {
          database.pragma('journal_mode = WAL');
          database.exec(await readFile(seed, 'utf8'));
        } finally {
          database.close();
        }
        done.push(`${connection.id}: ${shown(target)} created from ${seed}`);
      }
    }
  }
  return done;
}

function shown(path: string): string {
  const relativePath = relative(process.cwd(), path);
  return relativePath.startsWith('..') ? path : relativePath;
}

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(
    () => true,
    () => false,
  );
}
