import { ProvisioningState } from '@ordo/core';
import type { Kysely } from 'kysely';
import { chunked, rowsPerStatement } from './chunked.ts';
import type { Database } from './database.ts';
import { toNumber } from './row-codec.ts';

/** The provisioned kinds a reviewer decides on, with their table. */
export type ReviewedKind = 'resource_type' | 'scalar' | 'navigation';

const tableOf: Readonly<Record<ReviewedKind, string>> = {
  resource_type: 'assigned_resource_types',
  scalar: 'assigned_scalars',
  navigation: 'assigned_navigations',
};
const nestedTables = ['assigned_scalars', 'assigned_navigations'] as const;

/**
 * Reads and decisions of Provisioning Review (reference spec §6): which assigned resource types
 * have something in 5 Awaiting Approval, and the compare-and-set that takes an item out of it.
 * Rows are decoded by `AssignmentStore.getProvisioned`; this store only finds ids.
 */
export class ProvisioningReviewStore {
  constructor(private readonly database: Database) {}

  /**
   * Ids of assigned resource types of these resource types that have the resource type row or one
   * of its values in 5 Awaiting Approval, in id order after `afterId`.
   */
  async listAwaitingGroups(page: {
    resourceTypeIds: readonly string[];
    afterId?: string;
    limit: number;
  }): Promise<string[]> {
    if (page.resourceTypeIds.length === 0 || page.limit <= 0) return [];
    const db = anyDb(this.database);
    let own = db
      .selectFrom('assigned_resource_types')
      .select('id as group_id')
      .where('provisioning_state', '=', ProvisioningState.AwaitingApproval)
      .where('resource_type_id', 'in', page.resourceTypeIds);
    if (page.afterId !== undefined) own = own.where('id', '>', page.afterId);
    const found = new Set<string>((await own.orderBy('id').limit(page.limit).execute()).map((r) => r.group_id));
    for (const table of nestedTables) {
      let nested = db
        .selectFrom(table)
        .select('assigned_resource_type_id as group_id')
        .distinct()
        .where('provisioning_state', '=', ProvisioningState.AwaitingApproval)
        .where('resource_type_id', 'in', page.resourceTypeIds);
      if (page.afterId !== undefined) nested = nested.where('assigned_resource_type_id', '>', page.afterId);
      for (const row of await nested.orderBy('assigned_resource_type_id').limit(page.limit).execute()) {
        found.add(row.group_id);
      }
    }
    return [...found].sort(compareText).slice(0, page.limit);
  }

  /** Ids of the rows of these assigned resource types (itself and its values) in 5 Awaiting Approval. */
  async awaitingIdsOfGroups(groupIds: readonly string[]): Promise<string[]> {
    const ids: string[] = [];
    const db = anyDb(this.database);
    for (const chunk of chunked([...new Set(groupIds)], rowsPerStatement(this.database.dialect, 1))) {
      const own = await db
        .selectFrom('assigned_resource_types')
        .select('id')
        .where('id', 'in', chunk)
        .where('provisioning_state', '=', ProvisioningState.AwaitingApproval)
        .execute();
      ids.push(...own.map((r) => r.id as string));
      for (const table of nestedTables) {
        const rows = await db
          .selectFrom(table)
          .select('id')
          .where('assigned_resource_type_id', 'in', chunk)
          .where('provisioning_state', '=', ProvisioningState.AwaitingApproval)
          .execute();
        ids.push(...rows.map((r) => r.id as string));
      }
    }
    return ids.sort(compareText);
  }

  /** Ids of values (scalars and navigations) of one resource type in 5, optionally of one property, in id order. */
  async listAwaitingValues(page: {
    resourceTypeId: string;
    property?: string;
    afterId?: string;
    limit: number;
  }): Promise<string[]> {
    if (page.limit <= 0) return [];
    const ids: string[] = [];
    for (const table of nestedTables) {
      let query = anyDb(this.database)
        .selectFrom(table)
        .select('id')
        .where('provisioning_state', '=', ProvisioningState.AwaitingApproval)
        .where('resource_type_id', '=', page.resourceTypeId);
      if (page.property !== undefined) query = query.where('property', '=', page.property);
      if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
      ids.push(...(await query.orderBy('id').limit(page.limit).execute()).map((r) => r.id as string));
    }
    return ids.sort(compareText).slice(0, page.limit);
  }

  /**
   * Compare-and-set of a reviewer's decision: moves the item out of 5 Awaiting Approval only if it
   * is still there, in one statement, so two reviewers acting at once cannot both decide it.
   * `declined` marks a declined value so that the computation does not propose it again.
   * @returns false when the item is gone or no longer in 5.
   */
  async decide(kind: ReviewedKind, id: string, to: ProvisioningState, declined: boolean): Promise<boolean> {
    const result = await anyDb(this.database)
      .updateTable(tableOf[kind])
      .set({ provisioning_state: to, declined: declined ? 1 : 0 })
      .where('id', '=', id)
      .where('provisioning_state', '=', ProvisioningState.AwaitingApproval)
      .executeTakeFirst();
    return toNumber(result.numUpdatedRows as bigint) === 1;
  }
}

// The three tables share their provisioning columns; Kysely's static types cannot follow a table
// chosen at run time (as in AssignmentStore).
function anyDb(database: Database): Kysely<any> {
  return database.db as unknown as Kysely<any>;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
