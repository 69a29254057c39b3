import type { Database } from './database.ts';

export interface AuditEntry {
  readonly at: string;
  /** `account:<login>`, `token:<name>`, `agent:<name>` or `system`. */
  readonly actor: string;
  /** Stable code, e.g. `request.approved`. */
  readonly action: string;
  readonly targetKind: string;
  readonly targetId: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly detail?: string;
}

export interface AuditRecord extends AuditEntry {
  readonly id: number;
}

export interface AuditFilter {
  readonly actor?: string;
  readonly action?: string;
  readonly targetKind?: string;
  readonly targetId?: string;
  readonly since?: string;
  readonly until?: string;
  /** Page backwards: only records with a smaller id. */
  readonly beforeId?: number;
  readonly limit: number;
}

/**
 * The append-only audit log. There is no update or delete here on purpose: a use case records
 * inside the transaction of the change it describes, so the log never claims what did not happen.
 */
export class AuditStore {
  constructor(private readonly database: Database) {}

  async record(...entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.database.db
      .insertInto('audit_log')
      .values(
        entries.map((e) => ({
          at: e.at,
          actor: e.actor,
          action: e.action,
          target_kind: e.targetKind,
          target_id: e.targetId,
          before_json: e.before === undefined ? null : JSON.stringify(e.before),
          after_json: e.after === undefined ? null : JSON.stringify(e.after),
          detail: e.detail ?? null,
        })),
      )
      .execute();
  }

  /** Newest first. */
  async list(filter: AuditFilter): Promise<AuditRecord[]> {
    let query = this.database.db.selectFrom('audit_log').selectAll();
    if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    if (filter.targetKind !== undefined) query = query.where('target_kind', '=', filter.targetKind);
    if (filter.targetId !== undefined) query = query.where('target_id', '=', filter.targetId);
    if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
    if (filter.until !== undefined) query = query.where('at', '<', filter.until);
    if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
    const rows = await query.orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      actor: r.actor,
      action: r.action,
      targetKind: r.target_kind,
      targetId: r.target_id,
      ...(r.before_json === null ? {} : { before: JSON.parse(r.before_json) }),
      ...(r.after_json === null ? {} : { after: JSON.parse(r.after_json) }),
      ...(r.detail === null ? {} : { detail: r.detail }),
    }));
  }
}
