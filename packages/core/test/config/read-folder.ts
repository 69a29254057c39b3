import type { ConfigurationFile } from '../../src/config/compile-configuration.ts';

/**
 * Test helper: file access for the tests that read `examples/` and `docs/`. Core has no Node
 * types (its tsconfig has `"types": []`), so `node:fs` is imported by a computed name and typed
 * with the few functions used here.
 */
interface FileSystem {
  readdirSync(path: string): string[];
  readFileSync(path: string, encoding: 'utf8'): string;
  writeFileSync(path: string, data: string): void;
  existsSync(path: string): boolean;
}

const fsModule = 'node:fs';

export async function fileSystem(): Promise<FileSystem> {
  return (await import(/* @vite-ignore */ fsModule)) as FileSystem;
}

/** Absolute path of a repository file (this file is packages/core/test/config/read-folder.ts). */
export function repositoryPath(relative: string): string {
  const here = decodeURIComponent((import.meta as unknown as { url: string }).url.replace(/^file:\/\//, ''));
  return `${here.replace(/packages\/core\/test\/config\/read-folder\.ts$/, '')}${relative}`;
}

/** The *.yaml / *.yml files of a folder, as `compileConfiguration` takes them. */
export async function readConfigurationFolder(relative: string): Promise<ConfigurationFile[]> {
  const fs = await fileSystem();
  const folder = repositoryPath(relative);
  return fs
    .readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({ path: name, text: fs.readFileSync(`${folder}/${name}`, 'utf8') }));
}
