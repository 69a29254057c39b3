import { createHash } from 'node:crypto';
import { type Cause, type ConfigProblem, compileConfiguration, type Model } from '@ordo/core';
import type { Clock } from '../clock.ts';
import type { ConfigurationFile } from '../config/read-configuration-folder.ts';
import type { Stores } from '../storage/stores.ts';
import { sourceEntityTypes } from './compute-role-model.ts';

export class ConfigurationError extends Error {
  readonly code: 'CONFIG_INVALID' | 'CONFIG_NOT_APPLIED';
  constructor(
    code: 'CONFIG_INVALID' | 'CONFIG_NOT_APPLIED',
    message: string,
    readonly problems: readonly ConfigProblem[] = [],
  ) {
    super(message);
    this.code = code;
    this.name = 'ConfigurationError';
  }
}

/** Compiles a folder's files or throws with every problem found. */
export function compileOrThrow(files: readonly ConfigurationFile[]): Model {
  const result = compileConfiguration(files);
  if (!result.ok) {
    throw new ConfigurationError(
      'CONFIG_INVALID',
      `the configuration has ${result.problems.length} problem(s); nothing was applied`,
      result.problems,
    );
  }
  return result.model;
}

export function configurationHash(files: readonly ConfigurationFile[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    hash.update(file.path).update('\0').update(file.text).update('\0');
  }
  return hash.digest('hex');
}

/**
 * Stores a checked configuration as a new numbered version. Identities of the entity types the
 * role model covers are marked dirty, so that the next incremental computation applies the change.
 */
export async function applyConfiguration(
  deps: { stores: Pick<Stores, 'configVersions' | 'resources' | 'transaction'>; clock: Clock },
  files: readonly ConfigurationFile[],
  cause: Cause,
): Promise<{ version: number; unchanged: boolean; dirtyIdentities: number }> {
  const model = compileOrThrow(files);
  const hash = configurationHash(files);
  const latest = await deps.stores.configVersions.latest();
  if (latest?.hash === hash) return { version: latest.number, unchanged: true, dirtyIdentities: 0 };
  return deps.stores.transaction(async (tx) => {
    const version = await tx.configVersions.apply({
      files: Object.fromEntries(files.map((f) => [f.path, f.text])),
      hash,
      appliedBy: `${cause.kind}:${cause.id}`,
      at: deps.clock.now(),
    });
    let dirtyIdentities = 0;
    for (const entityType of sourceEntityTypes(model)) dirtyIdentities += await tx.resources.markAllDirty(entityType);
    return { version, unchanged: false, dirtyIdentities };
  });
}

/** The model of the latest applied version (or of `version`). */
export async function loadAppliedModel(
  stores: Pick<Stores, 'configVersions'>,
  version?: number,
): Promise<{ version: number; model: Model }> {
  const stored =
    version === undefined ? await stores.configVersions.latest() : await stores.configVersions.get(version);
  if (!stored) {
    throw new ConfigurationError(
      'CONFIG_NOT_APPLIED',
      version === undefined
        ? 'no configuration has been applied yet: run `ordo config apply DIR` first'
        : `configuration version ${version} does not exist`,
    );
  }
  const files = Object.entries(stored.files).map(([path, text]) => ({ path, text }));
  return { version: stored.number, model: compileOrThrow(files) };
}
