import type { Resource, ScalarValue } from '@ordo/core';
import type { Stores } from '../storage/stores.ts';
import { resourceIdFor } from './resource-id.ts';

export { resourceIdFor };

/** A synchronized resource as a file gives it: links name the linked resources by key. */
export interface ResourceRecord {
  readonly entityType: string;
  readonly key: string;
  readonly values?: Readonly<Record<string, ScalarValue>>;
  /** Navigation property → keys of linked resources, in `linkTypes[property]` (or the same entity type). */
  readonly links?: Readonly<Record<string, readonly string[]>>;
}

export class ImportError extends Error {
  readonly code = 'IMPORT_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`the import file has ${problems.length} problem(s); nothing was imported:\n${problems.join('\n')}`);
    this.name = 'ImportError';
  }
}

/**
 * Loads synchronized resources (a stand-in for connector exports until the agent exists):
 * validates every record first and writes nothing if one is wrong; changed resources are marked
 * dirty so that an incremental computation picks them up.
 */
export async function importResources(
  deps: { stores: Pick<Stores, 'resources'> },
  records: readonly ResourceRecord[],
  linkTargets: (entityType: string, property: string) => string | null,
): Promise<{ imported: number }> {
  const problems: string[] = [];
  const seen = new Set<string>();
  records.forEach((record, index) => {
    const where = `record ${index + 1}`;
    if (!record || typeof record !== 'object') {
      problems.push(`${where}: not an object`);
      return;
    }
    if (typeof record.entityType !== 'string' || !record.entityType)
      problems.push(`${where}: "entityType" must be a non-empty string`);
    if (typeof record.key !== 'string' || !record.key) problems.push(`${where}: "key" must be a non-empty string`);
    const id = resourceIdFor(record.entityType, record.key);
    if (seen.has(id)) problems.push(`${where}: duplicate key "${record.key}" for entity type ${record.entityType}`);
    seen.add(id);
    for (const [property, value] of Object.entries(record.values ?? {})) {
      if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
        problems.push(`${where}: values.${property} must be a string, number, boolean or null`);
      }
    }
    for (const [property, keys] of Object.entries(record.links ?? {})) {
      if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) {
        problems.push(`${where}: links.${property} must be a list of keys`);
      } else if (!linkTargets(record.entityType, property)) {
        problems.push(`${where}: links.${property} is not a navigation property of ${record.entityType}`);
      }
    }
  });
  if (problems.length) throw new ImportError(problems);

  const resources: Resource[] = records.map((record) => ({
    id: resourceIdFor(record.entityType, record.key),
    entityType: record.entityType,
    key: record.key,
    values: record.values ?? {},
    links: Object.fromEntries(
      Object.entries(record.links ?? {}).map(([property, keys]) => [
        property,
        keys.map((key) => resourceIdFor(linkTargets(record.entityType, property) ?? record.entityType, key)),
      ]),
    ),
  }));
  await deps.stores.resources.upsertMany(resources, { dirty: true });
  return { imported: resources.length };
}
