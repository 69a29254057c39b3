import type {
  AssignedCompositeRole,
  AssignedResourceType,
  AssignedSingleRole,
  Assignment,
  WorkflowState,
} from '@ordo/core';
import { type Kysely, sql } from 'kysely';
import { AssignmentStore } from './assignment-store.ts';
import { chunked, rowsPerStatement } from './chunked.ts';
import type { Database } from './database.ts';
import { asWorkflowState, toNumber } from './row-codec.ts';
import type { StorageSchema } from './schema.ts';

/** Workflow states a reconciliation screen lists: found after go-live (1), or before it (3). */
export const reconcilableWorkflowStates = [1, 3] as const;

export type ReconcilableKind = 'single_role' | 'composite_role' | 'resource_type' | 'scalar' | 'navigation';

/** What a person decided in reconciliation, and why: the exception of a kept item. */
export interface ReconciliationDecision {
  readonly id: string;
  /** `orphan` for an account without an owner, else the assignment kind. */
  readonly subjectKind: 'orphan' | ReconcilableKind;
  /** The orphan's resource id, or the assignment id. */
  readonly subjectId: string;
  /** The target entity type (resource reconciliation) or identity entity type (role reconciliation). */
  readonly entityType: string;
  readonly decision: 'keep' | 'remove';
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly comment: string | null;
}

interface ReconciliationDecisionsTable {
  id: string;
  subject_kind: string;
  subject_id: string;
  entity_type: string;
  decision: string;
  decided_by: string;
  decided_at: string;
  comment: string | null;
}

type Schema = StorageSchema & { reconciliation_decisions: ReconciliationDecisionsTable };

const tableOf = {
  single_role: 'assigned_single_roles',
  composite_role: 'assigned_composite_roles',
  resource_type: 'assigned_resource_types',
  scalar: 'assigned_scalars',
  navigation: 'assigned_navigations',
} as const;

/** The column naming what an assignment of each kind grants: a role, or a resource type. */
const itemColumnOf = {
  single_role: 'role_id',
  composite_role: 'role_id',
  resource_type: 'resource_type_id',
  scalar: 'resource_type_id',
  navigation: 'resource_type_id',
} as const;

/**
 * Reads what reconciliation shows (assignments in workflow 1 or 3, by what they grant) and writes
 * what people decide: a compare-and-set on the workflow state, and the decision row.
 */
export class ReconciliationStore {
  constructor(private readonly database: Database) {}

  private get db(): Kysely<Schema> {
    return this.database.db as unknown as Kysely<Schema>;
  }

  /**
   * One page, in id order across `kinds`, of assignments in workflow 1 or 3 granting one of
   * `itemIds` (role ids for roles, resource type ids for the rest).
   */
  async listFound(request: {
    kinds: readonly ReconcilableKind[];
    itemIds: readonly string[];
    afterId?: string;
    limit: number;
  }): Promise<Assignment[]> {
    if (request.itemIds.length === 0 || request.limit <= 0) return [];
    const ids: { kind: ReconcilableKind; id: string }[] = [];
    for (const kind of request.kinds) {
      const db = this.database.db as unknown as Kysely<any>;
      let query = db
        .selectFrom(tableOf[kind])
        .select('id')
        // Literal, not parameters: the planner matches it to the partial index of migration 0004.
        .where(sql<boolean>`workflow_state in (1, 3)`)
        // `|| ''` keeps the item column out of index choice: SQLite would otherwise walk the
        // (item, …) index through every calculated row of the item (milliseconds per thousand
        // identities) instead of the few found rows of the partial index.
        .where(sql`${sql.ref(itemColumnOf[kind])} || ''`, 'in', [...request.itemIds]);
      if (request.afterId !== undefined) query = query.where('id', '>', request.afterId);
      const rows: { id: string }[] = await query.orderBy('id').limit(request.limit).execute();
      for (const row of rows) ids.push({ kind, id: row.id });
    }
    ids.sort((a, b) => compareText(a.id, b.id));
    return this.getMany(ids.slice(0, request.limit));
  }

  /** Assignments by id, whatever their kind; unknown ids are skipped. */
  async getByIds(ids: readonly string[]): Promise<Assignment[]> {
    const wanted: { kind: ReconcilableKind; id: string }[] = [];
    for (const id of new Set(ids)) {
      for (const kind of Object.keys(tableOf) as ReconcilableKind[]) wanted.push({ kind, id });
    }
    return this.getMany(wanted);
  }

  private async getMany(ids: readonly { kind: ReconcilableKind; id: string }[]): Promise<Assignment[]> {
    const provisioned = ids.filter((i) => i.kind !== 'single_role' && i.kind !== 'composite_role').map((i) => i.id);
    const found: Assignment[] = provisioned.length
      ? await new AssignmentStore(this.database).getProvisioned(provisioned)
      : [];
    for (const kind of ['single_role', 'composite_role'] as const) {
      const roleIds = [...new Set(ids.filter((i) => i.kind === kind).map((i) => i.id))];
      for (const chunk of chunked(roleIds, rowsPerStatement(this.database.dialect, 1))) {
        if (kind === 'single_role') {
          const rows = await this.db.selectFrom('assigned_single_roles').selectAll().where('id', 'in', chunk).execute();
          for (const row of rows) {
            const role: AssignedSingleRole = {
              kind,
              id: row.id,
              ownerId: row.owner_id,
              workflowState: asWorkflowState(toNumber(row.workflow_state), 'assigned_single_roles.workflow_state'),
              startDate: row.start_date,
              endDate: row.end_date,
              ruleId: row.rule_id,
              roleId: row.role_id,
              inferredFrom: row.inferred_from,
            };
            found.push(role);
          }
        } else {
          const rows = await this.db
            .selectFrom('assigned_composite_roles')
            .selectAll()
            .where('id', 'in', chunk)
            .execute();
          for (const row of rows) {
            const role: AssignedCompositeRole = {
              kind,
              id: row.id,
              ownerId: row.owner_id,
              workflowState: asWorkflowState(toNumber(row.workflow_state), 'assigned_composite_roles.workflow_state'),
              startDate: row.start_date,
              endDate: row.end_date,
              ruleId: row.rule_id,
              roleId: row.role_id,
            };
            found.push(role);
          }
        }
      }
    }
    return found.sort((a, b) => compareText(a.id, b.id));
  }

  /** Assigned resource types of these resource types (who owns which target), in id order. */
  async listResourceTypeRows(resourceTypeIds: readonly string[]): Promise<AssignedResourceType[]> {
    if (resourceTypeIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('assigned_resource_types')
      .select('id')
      .where('resource_type_id', 'in', [...resourceTypeIds])
      .orderBy('id')
      .execute();
    const assignments = await new AssignmentStore(this.database).getProvisioned(rows.map((r) => r.id));
    return assignments.filter((a): a is AssignedResourceType => a.kind === 'resource_type');
  }

  /**
   * Compare-and-set of an assignment's workflow state: applies only if the row is still in `from`,
   * so two people deciding the same item give one result.
   */
  async setWorkflowIf(
    kind: ReconcilableKind,
    id: string,
    from: WorkflowState,
    to: WorkflowState,
    change: { endDate?: string | null } = {},
  ): Promise<boolean> {
    const db = this.database.db as unknown as Kysely<any>;
    const result = await db
      .updateTable(tableOf[kind])
      .set({ workflow_state: to, ...(change.endDate !== undefined ? { end_date: change.endDate } : {}) })
      .where('id', '=', id)
      .where('workflow_state', '=', from)
      .executeTakeFirst();
    return toNumber(result.numUpdatedRows) === 1;
  }

  /**
   * Records a decision. For an orphan the id is `orphan:<resource id>`, so a second decision on the
   * same orphan inserts nothing.
   * @returns whether the row was written.
   */
  async recordDecision(decision: ReconciliationDecision): Promise<boolean> {
    const result = await this.db
      .insertInto('reconciliation_decisions')
      .values({
        id: decision.id,
        subject_kind: decision.subjectKind,
        subject_id: decision.subjectId,
        entity_type: decision.entityType,
        decision: decision.decision,
        decided_by: decision.decidedBy,
        decided_at: decision.decidedAt,
        comment: decision.comment,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return toNumber(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** Decisions about these subjects, oldest first. */
  async decisionsAbout(subjectIds: readonly string[]): Promise<ReconciliationDecision[]> {
    const out: ReconciliationDecision[] = [];
    for (const chunk of chunked([...new Set(subjectIds)], rowsPerStatement(this.database.dialect, 1))) {
      const rows = await this.db
        .selectFrom('reconciliation_decisions')
        .selectAll()
        .where('subject_id', 'in', chunk)
        .orderBy('decided_at')
        .orderBy('id')
        .execute();
      for (const row of rows) {
        out.push({
          id: row.id,
          subjectKind: row.subject_kind as ReconciliationDecision['subjectKind'],
          subjectId: row.subject_id,
          entityType: row.entity_type,
          decision: row.decision === 'keep' ? 'keep' : 'remove',
          decidedBy: row.decided_by,
          decidedAt: row.decided_at,
          comment: row.comment,
        });
      }
    }
    return out;
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
