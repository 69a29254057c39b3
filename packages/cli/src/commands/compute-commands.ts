import { readFile } from 'node:fs/promises';
import type { Model, Resource } from '@ordo/core';
import {
  ComputeContext,
  type ComputeScope,
  computeRoleModel,
  importResources,
  loadAppliedModel,
  type ResourceRecord,
  type Stores,
  systemClock,
} from '@ordo/server';
import type { Command } from 'commander';
import { print } from '../format.ts';
import { withStores } from '../open-stores.ts';
import { progressBar } from '../progress.ts';

const cliCause = { kind: 'user' as const, id: 'cli' };

export function registerComputeCommands(program: Command): void {
  program
    .command('import')
    .argument('<file>', 'JSON file: { "resources": [{ entityType, key, values, links }] }')
    .description('load synchronized resources (identities, accounts, groups) and mark them for computation')
    .action(async (file: string) => {
      const records = parseImportFile(file, await readFile(file, 'utf8'));
      await withStores(program.opts().db, async (stores) => {
        const { model } = await loadAppliedModel(stores);
        const bar = progressBar('importing');
        // One transaction, as a single write would be, but written in batches so that the bar moves.
        const result = await stores.transaction((tx) =>
          importResources(
            { stores: { resources: batchedResources(tx.resources, bar.update) } },
            records,
            linkTargetsOf(model),
          ),
        );
        bar.stop();
        print(`imported ${result.imported} resources from ${file}`);
      });
    });

  program
    .command('compute')
    .description('compute the role model: every identity, or only the dirty ones, or one identity')
    .option('--dirty', 'only identities changed since the last computation (incremental)')
    .option('--identity <key...>', 'only these identities (by key, e.g. employee id)')
    .option(
      '--review <mode>',
      'per_resource_type (default), all (hold every new order for review) or none',
      'per_resource_type',
    )
    .action(async (options: { dirty?: boolean; identity?: string[]; review: string }) => {
      if (!['per_resource_type', 'all', 'none'].includes(options.review)) {
        throw Object.assign(new Error(`--review must be per_resource_type, all or none, not "${options.review}"`), {
          code: 'CLI_INVALID_OPTION',
        });
      }
      await withStores(program.opts().db, async (stores) => {
        const { model, version } = await loadAppliedModel(stores);
        const scope = await scopeOf(stores, model, options);
        const context = ComputeContext.create(model, stores);
        const bar = progressBar('computing');
        const started = performance.now();
        const summary = await computeRoleModel({ stores, clock: systemClock }, context, {
          scope,
          cause: cliCause,
          review: options.review as 'per_resource_type' | 'all' | 'none',
          onProgress: bar.update,
        });
        bar.stop();
        const seconds = (performance.now() - started) / 1000;
        print(
          `configuration v${version}: computed ${summary.identities} identities in ${seconds.toFixed(1)} s; ` +
            `${summary.assignmentsWritten} assignments written, ${summary.assignmentsRemoved} removed, ${summary.stateChanges} state changes`,
        );
        if (summary.errors.length) {
          print(`${summary.errors.length} evaluation error(s) (assignments in 7 Error), first ones:`);
          for (const e of summary.errors.slice(0, 10)) print(`  ${e.ownerId} ${e.ruleId}: ${e.message}`);
        }
      });
    });
}

async function scopeOf(
  stores: Parameters<Parameters<typeof withStores>[1]>[0],
  model: Model,
  options: { dirty?: boolean; identity?: string[] },
): Promise<ComputeScope> {
  if (options.identity?.length) {
    const ids: string[] = [];
    for (const key of options.identity) {
      const found = await findIdentity(stores, model, key);
      if (!found) throw Object.assign(new Error(`no identity with key "${key}"`), { code: 'IDENTITY_NOT_FOUND' });
      ids.push(found);
    }
    return { kind: 'identities', ids };
  }
  return options.dirty ? { kind: 'dirty' } : { kind: 'complete' };
}

async function findIdentity(
  stores: Parameters<Parameters<typeof withStores>[1]>[0],
  model: Model,
  key: string,
): Promise<string | null> {
  const sourceTypes = new Set(Object.values(model.resourceTypes).map((rt) => rt.sourceEntityType));
  for (const entityType of sourceTypes) {
    const found = await stores.resources.findByKey(entityType, key);
    if (found) return found.id;
  }
  return (await stores.resources.get(key))?.id ?? null;
}

const importBatch = 2_000;

/**
 * The resource store with `upsertMany` cut into batches that report progress. importResources
 * validates every record before its one write, so a refused file still writes nothing.
 */
function batchedResources(
  resources: Stores['resources'],
  onProgress: (done: number, total: number) => void,
): Pick<Stores, 'resources'>['resources'] {
  return Object.assign(Object.create(resources) as Stores['resources'], {
    async upsertMany(list: readonly Resource[], options?: Parameters<Stores['resources']['upsertMany']>[1]) {
      onProgress(0, list.length);
      for (let start = 0; start < list.length; start += importBatch) {
        await resources.upsertMany(list.slice(start, start + importBatch), options);
        onProgress(Math.min(list.length, start + importBatch), list.length);
      }
    },
  });
}

/** Navigation property → entity type of the linked resources, from the applied model. */
export function linkTargetsOf(model: Model) {
  return (entityType: string, property: string): string | null => {
    const p = model.entityTypes[entityType]?.properties[property];
    return p?.kind === 'navigation' ? p.target : null;
  };
}

export function parseImportFile(file: string, text: string): ResourceRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw Object.assign(new Error(`${file}: not valid JSON (${(error as Error).message})`), { code: 'IMPORT_INVALID' });
  }
  const resources = (parsed as { resources?: unknown })?.resources;
  if (!Array.isArray(resources)) {
    throw Object.assign(new Error(`${file}: expected an object with a "resources" list`), { code: 'IMPORT_INVALID' });
  }
  return resources as ResourceRecord[];
}
