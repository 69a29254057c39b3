import type {
  IdentityScope,
  RequestAction,
  RequestDecisionKind,
  RequestItemKind,
  RequestSnapshot,
  RequestStatus,
} from '@ordo/core';
import { type Selectable, sql } from 'kysely';
import type { Database } from './database.ts';
import { inScopeSql } from './identity-scope-filter.ts';
import { asOneOf, toNumber } from './row-codec.ts';
import type { RequestDecisionsTable, RequestsTable } from './schema.ts';

/** A manual request as stored: the snapshot the decisions see, plus its dates and texts. */
export interface RequestRecord extends RequestSnapshot {
  readonly assignmentId: string;
  readonly requestedAt: string;
  readonly comment: string | null;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly decidedAt: string | null;
  readonly autoDecision: RequestDecisionKind | null;
  readonly autoDecideAt: string | null;
}

export type StoredDecision = 'approved' | 'declined' | 'auto_approved' | 'auto_declined';

export interface RequestDecisionRecord {
  readonly id: number;
  readonly requestId: string;
  readonly step: number;
  readonly decision: StoredDecision;
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly comment: string | null;
}

const itemKinds: readonly RequestItemKind[] = ['single_role', 'composite_role', 'resource_type'];
const actions: readonly RequestAction[] = ['add', 'remove'];
const statuses: readonly RequestStatus[] = ['pending', 'approved', 'declined', 'cancelled'];
const decisionKinds: readonly RequestDecisionKind[] = ['approve', 'decline'];
const storedDecisions: readonly StoredDecision[] = ['approved', 'declined', 'auto_approved', 'auto_declined'];

/**
 * Manual requests and their per-step decisions. Decisions are compare-and-set on `version`, and
 * `request_decisions` holds one row per (request, step): of two reviewers deciding the same step
 * at once, exactly one gets through.
 */
export class RequestStore {
  constructor(private readonly database: Database) {}

  async insert(r: RequestRecord): Promise<void> {
    await this.database.db
      .insertInto('requests')
      .values({
        id: r.id,
        owner_id: r.ownerId,
        item_kind: r.itemKind,
        item_id: r.itemId,
        assignment_id: r.assignmentId,
        action: r.action,
        requested_by: r.requestedBy,
        requested_at: r.requestedAt,
        comment: r.comment,
        start_date: r.startDate,
        end_date: r.endDate,
        steps: r.steps,
        approvals: r.approvals,
        status: r.status,
        decided_at: r.decidedAt,
        auto_decision: r.autoDecision,
        auto_decide_at: r.autoDecideAt,
        version: r.version,
      })
      .execute();
  }

  /**
   * Serializes request creation for one owner until the transaction ends, so that two
   * simultaneous requests for one item cannot both see "nothing pending". PostgreSQL: a
   * transaction-level advisory lock (two-key form, which does not overlap the one-key cluster
   * locks); SQLite runs one write transaction at a time anyway.
   */
  async lockOwner(ownerId: string): Promise<void> {
    if (this.database.dialect !== 'postgres') return;
    await sql`select pg_advisory_xact_lock(hashtext('ordo-request'), hashtext(${ownerId}))`.execute(this.database.db);
  }

  async get(id: string): Promise<RequestRecord | undefined> {
    const row = await this.database.db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  /** The pending request of an owner for an item, if any. */
  async findPending(ownerId: string, itemKind: RequestItemKind, itemId: string): Promise<RequestRecord | undefined> {
    const row = await this.database.db
      .selectFrom('requests')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('status', '=', 'pending')
      .where('item_kind', '=', itemKind)
      .where('item_id', '=', itemId)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  /** Requests of one owner, newest first. */
  async listByOwner(ownerId: string, limit: number): Promise<RequestRecord[]> {
    const rows = await this.database.db
      .selectFrom('requests')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .orderBy('requested_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(fromRow);
  }

  /**
   * Pending requests for owners of `entityType` within `scope`, oldest first (requested_at, id);
   * pass the last one's `{requestedAt, id}` back as `after`.
   */
  async listPending(options: {
    entityType: string;
    scope: IdentityScope;
    after?: { requestedAt: string; id: string };
    limit: number;
  }): Promise<RequestRecord[]> {
    const db = this.database.db;
    let query = db
      .selectFrom('requests')
      .innerJoin('resources', 'resources.id', 'requests.owner_id')
      .selectAll('requests')
      .where('requests.status', '=', 'pending')
      .where('resources.entity_type', '=', options.entityType)
      .where(inScopeSql(options.scope, 'requests.owner_id'));
    const after = options.after;
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('requests.requested_at', '>', after.requestedAt),
          eb.and([eb('requests.requested_at', '=', after.requestedAt), eb('requests.id', '>', after.id)]),
        ]),
      );
    }
    const rows = await query.orderBy('requests.requested_at').orderBy('requests.id').limit(options.limit).execute();
    return rows.map(fromRow);
  }

  /** Pending requests whose auto decision is due, oldest first. */
  async listDueAutoDecisions(now: string, limit: number): Promise<RequestRecord[]> {
    const rows = await this.database.db
      .selectFrom('requests')
      .selectAll()
      .where('status', '=', 'pending')
      .where('auto_decide_at', 'is not', null)
      .where('auto_decide_at', '<=', now)
      .orderBy('auto_decide_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(fromRow);
  }

  /**
   * Moves a request on if nobody else did since it was read (`version` unchanged). Returns false
   * when the compare-and-set lost: the caller's transaction must then change nothing.
   */
  async compareAndSet(
    id: string,
    expectedVersion: number,
    next: { approvals: number; status: RequestStatus; decidedAt: string | null },
  ): Promise<boolean> {
    const result = await this.database.db
      .updateTable('requests')
      .set({
        approvals: next.approvals,
        status: next.status,
        decided_at: next.decidedAt,
        version: expectedVersion + 1,
      })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async recordDecision(d: Omit<RequestDecisionRecord, 'id'>): Promise<void> {
    await this.database.db
      .insertInto('request_decisions')
      .values({
        request_id: d.requestId,
        step: d.step,
        decision: d.decision,
        decided_by: d.decidedBy,
        decided_at: d.decidedAt,
        comment: d.comment,
      })
      .execute();
  }

  /** Decisions of a request, by step. */
  async decisions(requestId: string): Promise<RequestDecisionRecord[]> {
    const rows = await this.database.db
      .selectFrom('request_decisions')
      .selectAll()
      .where('request_id', '=', requestId)
      .orderBy('step')
      .execute();
    return rows.map(decisionFromRow);
  }
}

function fromRow(row: Selectable<RequestsTable>): RequestRecord {
  const where = (column: string) => `requests row ${row.id}, column ${column}`;
  return {
    id: row.id,
    ownerId: row.owner_id,
    itemKind: asOneOf(row.item_kind, itemKinds, where('item_kind')),
    itemId: row.item_id,
    assignmentId: row.assignment_id,
    action: asOneOf(row.action, actions, where('action')),
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    comment: row.comment,
    startDate: row.start_date,
    endDate: row.end_date,
    steps: toNumber(row.steps),
    approvals: toNumber(row.approvals),
    status: asOneOf(row.status, statuses, where('status')),
    decidedAt: row.decided_at,
    autoDecision: row.auto_decision === null ? null : asOneOf(row.auto_decision, decisionKinds, where('auto_decision')),
    autoDecideAt: row.auto_decide_at,
    version: toNumber(row.version),
  };
}

function decisionFromRow(row: Selectable<RequestDecisionsTable>): RequestDecisionRecord {
  return {
    id: toNumber(row.id),
    requestId: row.request_id,
    step: toNumber(row.step),
    decision: asOneOf(row.decision, storedDecisions, `request_decisions row ${row.id}, column decision`),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    comment: row.comment,
  };
}
