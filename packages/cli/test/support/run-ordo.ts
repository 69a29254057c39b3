import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const repositoryRoot = join(import.meta.dirname, '../../../..');
export const exampleFolder = join(repositoryRoot, 'examples/basic');

/**
 * The `ordo` command as a person runs it: a real process, its output and its exit code. No
 * DATABASE_URL leaks in from the developer's shell; `env` entries set to undefined are removed.
 */
export function runOrdo(args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(
    join(repositoryRoot, 'node_modules/.bin/tsx'),
    [join(repositoryRoot, 'packages/cli/src/main.ts'), ...args],
    {
      cwd: repositoryRoot,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: '', ...options.env },
      input: options.input ?? '',
    },
  );
  return { code: result.status, out: result.stdout, err: result.stderr };
}
