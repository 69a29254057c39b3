import type { Resource, ScalarValue } from '@ordo/core';
import { sql } from 'kysely';
import {
  type BulkColumn,
  type BulkRow,
  type BulkTable,
  bulkDelete,
  bulkInsert,
  bulkSet,
  bulkUpdate,
} from './bulk-write.ts';
import { chunked, rowsPerStatement } from './chunked.ts';
import type { Database } from './database.ts';
import { fromJson, toJson, toNumber } from './row-codec.ts';
import type { ResourcesTable } from './schema.ts';

export interface ResourceUpsertOptions {
  /**
   * Mark the written resources dirty (changed since the last computation). When false or absent,
   * new rows are clean and existing rows keep their flag: an upsert never clears dirtiness.
   */
  readonly dirty?: boolean;
}

/** Synchronized resources: identities, accounts, groups, with their links. */
export class ResourceStore {
  constructor(private readonly database: Database) {}

  /** Inserts or replaces resources (values and links) in one transaction, in chunks. */
  async upsertMany(resources: readonly Resource[], options: ResourceUpsertOptions = {}): Promise<void> {
    if (resources.length === 0) return;
    const dirty = options.dirty === true;
    const rows: BulkRow[] = new Array(resources.length);
    const ids: string[] = new Array(resources.length);
    const links: BulkRow[] = [];
    for (let i = 0; i < resources.length; i++) {
      const r = resources[i] as Resource;
      rows[i] = [r.id, r.entityType, r.key, toJson(r.values), dirty ? 1 : 0];
      ids[i] = r.id;
      for (const property in r.links) {
        const targets = r.links[property] as readonly string[];
        for (let position = 0; position < targets.length; position++) {
          links.push([r.id, property, position, targets[position]]);
        }
      }
    }
    await this.database.transaction(async (tx) => {
      await bulkInsert(tx, dirty ? resourcesMarkingDirty : resourcesKeepingDirty, rows);
      await bulkDelete(tx, 'resource_links', 'resource_id', ids);
      await bulkInsert(tx, resourceLinksTable, links);
    });
  }

  async get(id: string): Promise<Resource | undefined> {
    return (await this.getMany([id]))[0];
  }

  /** Resources by id, in the order of `ids` (duplicates once); ids not found are left out. */
  async getMany(ids: readonly string[]): Promise<Resource[]> {
    const unique = [...new Set(ids)];
    const found = new Map<string, Resource>();
    for (const chunk of chunked(unique, rowsPerStatement(this.database.dialect, 1))) {
      const rows = await this.database.db.selectFrom('resources').selectAll().where('id', 'in', chunk).execute();
      for (const resource of await this.withLinks(rows)) found.set(resource.id, resource);
    }
    return unique.flatMap((id) => found.get(id) ?? []);
  }

  async findByKey(entityType: string, key: string): Promise<Resource | undefined> {
    const rows = await this.database.db
      .selectFrom('resources')
      .selectAll()
      .where('entity_type', '=', entityType)
      .where('key', '=', key)
      .execute();
    return (await this.withLinks(rows))[0];
  }

  /** One page of an entity type's resources in id order; pass the last id back as `afterId`. */
  async listByEntityType(entityType: string, page: { afterId?: string; limit: number }): Promise<Resource[]> {
    let query = this.database.db.selectFrom('resources').selectAll().where('entity_type', '=', entityType);
    if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
    const rows = await query.orderBy('id').limit(page.limit).execute();
    return this.withLinks(rows);
  }

  /** Resources with a link to `targetId` (through `property` if given), in id order. */
  async listLinkingTo(targetId: string, property?: string): Promise<Resource[]> {
    let query = this.database.db
      .selectFrom('resource_links')
      .select('resource_id')
      .distinct()
      .where('target_id', '=', targetId);
    if (property !== undefined) query = query.where('property', '=', property);
    const ids = (await query.execute()).map((r) => r.resource_id).sort(compare);
    return this.getMany(ids);
  }

  async markDirty(ids: readonly string[]): Promise<void> {
    await this.setDirty(ids, 1);
  }

  /** Marks every resource of an entity type dirty (a configuration change affects them all). */
  async markAllDirty(entityType: string): Promise<number> {
    const result = await this.database.db
      .updateTable('resources')
      .set({ dirty: 1 })
      .where('entity_type', '=', entityType)
      .executeTakeFirst();
    return toNumber(result.numUpdatedRows);
  }

  async clearDirty(ids: readonly string[]): Promise<void> {
    await this.setDirty(ids, 0);
  }

  /** Dirty resources (of one entity type if given), in id order. */
  /** Ids of the dirty resources of these entity types, in id order (cheaper than `listDirty`). */
  async listDirtyIds(entityTypes: readonly string[]): Promise<string[]> {
    if (entityTypes.length === 0) return [];
    const rows = await this.database.db
      .selectFrom('resources')
      .select('id')
      // A literal, not a parameter: only then may SQLite use the partial index of dirty rows.
      .where('dirty', '=', sql.lit(1))
      .where('entity_type', 'in', [...entityTypes])
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  }

  async listDirty(entityType?: string): Promise<Resource[]> {
    let query = this.database.db.selectFrom('resources').selectAll().where('dirty', '=', sql.lit(1));
    if (entityType !== undefined) query = query.where('entity_type', '=', entityType);
    return this.withLinks(await query.orderBy('id').execute());
  }

  /** Records which resource type a classification rule gave each resource (null = none). */
  async setClassifiedResourceType(entries: readonly { id: string; resourceTypeId: string | null }[]): Promise<void> {
    if (entries.length === 0) return;
    await bulkUpdate(
      this.database,
      classificationTable,
      idColumn,
      entries.map((e) => [e.resourceTypeId, e.id]),
    );
  }

  /** Ids of the resources classified into a resource type, in id order. */
  async listByClassifiedResourceType(resourceTypeId: string): Promise<string[]> {
    const rows = await this.database.db
      .selectFrom('resources')
      .select('id')
      .where('classified_resource_type', '=', resourceTypeId)
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Deletes resources and their outgoing links; links from other resources to them are kept. */
  async deleteMany(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.database.transaction(async (tx) => {
      await bulkDelete(tx, 'resource_links', 'resource_id', ids);
      await bulkDelete(tx, 'resources', 'id', ids);
    });
  }

  async count(entityType: string): Promise<number> {
    const row = await this.database.db
      .selectFrom('resources')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('entity_type', '=', entityType)
      .executeTakeFirstOrThrow();
    return toNumber(row.n);
  }

  private async setDirty(ids: readonly string[], dirty: 0 | 1): Promise<void> {
    await bulkSet(this.database, 'resources', 'dirty', dirty, 'id', ids);
  }

  private async withLinks(rows: readonly ResourcesTable[]): Promise<Resource[]> {
    if (rows.length === 0) return [];
    const links = new Map<string, Record<string, string[]>>();
    for (const chunk of chunked(
      rows.map((r) => r.id),
      rowsPerStatement(this.database.dialect, 1),
    )) {
      const linkRows = await this.database.db
        .selectFrom('resource_links')
        .selectAll()
        .where('resource_id', 'in', chunk)
        .orderBy('resource_id')
        .orderBy('property')
        .orderBy('position')
        .execute();
      for (const link of linkRows) {
        let byProperty = links.get(link.resource_id);
        if (!byProperty) links.set(link.resource_id, (byProperty = {}));
        (byProperty[link.property] ??= []).push(link.target_id);
      }
    }
    return rows.map((row) => ({
      id: row.id,
      entityType: row.entity_type,
      key: row.key,
      values: fromJson<Record<string, ScalarValue>>(row.values_json, `resources row ${row.id}, column values_json`),
      links: links.get(row.id) ?? {},
    }));
  }
}

const idColumn: BulkColumn = { name: 'id', type: 'text' };
const resourceColumns: readonly BulkColumn[] = [
  idColumn,
  { name: 'entity_type', type: 'text' },
  { name: 'key', type: 'text' },
  { name: 'values_json', type: 'text' },
  { name: 'dirty', type: 'integer' },
];
/*
 * Two upserts, as `ResourceUpsertOptions.dirty` says: marking dirty replaces the flag; otherwise
 * an existing row keeps its flag (and every upsert keeps `classified_resource_type`).
 */
const resourcesMarkingDirty: BulkTable = {
  name: 'resources',
  columns: resourceColumns,
  onConflict: { key: 'id', replace: ['entity_type', 'key', 'values_json', 'dirty'] },
};
const resourcesKeepingDirty: BulkTable = {
  name: 'resources',
  columns: resourceColumns,
  onConflict: { key: 'id', replace: ['entity_type', 'key', 'values_json'] },
};
/** Rows: the resource type (or null), then the resource id (see `bulkUpdate`). */
const classificationTable: BulkTable = {
  name: 'resources',
  columns: [{ name: 'classified_resource_type', type: 'text' }],
};
const resourceLinksTable: BulkTable = {
  name: 'resource_links',
  columns: [
    { name: 'resource_id', type: 'text' },
    { name: 'property', type: 'text' },
    { name: 'position', type: 'integer' },
    { name: 'target_id', type: 'text' },
  ],
};

/** Code-unit order, the order both databases use for these ids (SQLite binary, PG with C collation or ASCII ids). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
