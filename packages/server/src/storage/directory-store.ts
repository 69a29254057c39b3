import type { IdentityScope } from '@ordo/core';
import { sql } from 'kysely';
import type { Database } from './database.ts';
import { inScopeSql } from './identity-scope-filter.ts';

/** Queries of the Directory screen: which identities a person may see, searched and paged in SQL. */
export class DirectoryStore {
  constructor(private readonly database: Database) {}

  /**
   * Ids of the identities of `entityType` within `scope` whose key or one of whose scalar values
   * contains `text` (case-insensitive), in id order; pass the last id back as `afterId`.
   */
  async searchIds(options: {
    entityType: string;
    scope: IdentityScope;
    text?: string;
    afterId?: string;
    limit: number;
  }): Promise<string[]> {
    const db = this.database.db;
    let query = db
      .selectFrom('resources')
      .select('resources.id')
      .where('resources.entity_type', '=', options.entityType)
      .where(inScopeSql(options.scope, 'resources.id'));
    const text = options.text?.trim().toLowerCase();
    if (text) {
      // The values are searched in their JSON text: a value is written `"name":"value"`, so the
      // pattern matches inside string values (and, rarely, a property name: acceptable for search).
      const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
      const pattern = `%${escaped}%`;
      query = query.where(
        sql<boolean>`(lower(resources.key) like ${pattern} escape '\\' or lower(resources.values_json) like ${pattern} escape '\\')`,
      );
    }
    if (options.afterId !== undefined) query = query.where('resources.id', '>', options.afterId);
    const rows = await query.orderBy('resources.id').limit(options.limit).execute();
    return rows.map((r) => r.id);
  }
}
