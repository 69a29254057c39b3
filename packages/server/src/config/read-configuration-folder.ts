import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

export interface ConfigurationFile {
  /** Path relative to the folder, as shown in problem messages. */
  readonly path: string;
  readonly text: string;
}

export class ConfigurationFolderError extends Error {
  readonly code = 'CONFIG_FOLDER_UNREADABLE';
}

/** Reads every *.yaml / *.yml file under `folder` (recursively), sorted by path for stable output. */
export async function readConfigurationFolder(folder: string): Promise<ConfigurationFile[]> {
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) {
    throw new ConfigurationFolderError(`${folder}: not a folder (a configuration is a folder of YAML files)`);
  }
  const files: ConfigurationFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (/\.ya?ml$/i.test(entry.name)) {
        files.push({ path: relative(folder, full), text: await readFile(full, 'utf8') });
      }
    }
  };
  await walk(folder);
  if (files.length === 0) throw new ConfigurationFolderError(`${folder}: no .yaml or .yml file found`);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
