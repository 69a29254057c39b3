import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database } from './database.ts';
import { olderThan } from './newest-first.ts';
import { toNumber } from './row-codec.ts';
import type { StorageSchema } from './schema.ts';

/**
 * `pending`: waiting for its (next) attempt; `sending`: claimed by one dispatcher until
 * `nextAttemptAt` (a dispatcher that dies mid-send lets the claim lapse, and another retries);
 * `sent`; `failed`: attempts exhausted or a permanent error.
 */
export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed';
export const notificationStatuses: readonly NotificationStatus[] = ['pending', 'sending', 'sent', 'failed'];

export interface NewNotification {
  readonly id: string;
  readonly createdAt: string;
  /** Stable code: `manual_provisioning.summary`, `provisioning_review.summary`, `job.failed`. */
  readonly kind: string;
  /** Account login. */
  readonly recipient: string;
  readonly subject: string;
  readonly body: string;
}

export interface Notification extends NewNotification {
  readonly status: NotificationStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly sentAt: string | null;
  readonly lastError: string | null;
}

type Row = Selectable<StorageSchema['notifications']>;

/** The notification outbox: written in the producer's transaction, drained by dispatchers. */
export class NotificationStore {
  constructor(private readonly database: Database) {}

  private get db(): Kysely<StorageSchema> {
    return this.database.db;
  }

  async enqueue(notifications: readonly NewNotification[]): Promise<void> {
    if (notifications.length === 0) return;
    await this.db
      .insertInto('notifications')
      .values(
        notifications.map((n) => ({
          id: n.id,
          created_at: n.createdAt,
          kind: n.kind,
          recipient: n.recipient,
          subject: n.subject,
          body: n.body,
          status: 'pending',
          next_attempt_at: n.createdAt,
        })),
      )
      .execute();
  }

  async get(id: string): Promise<Notification | undefined> {
    const row = await this.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  /**
   * Claims up to `limit` due notifications (pending ones whose attempt is due, and `sending` ones
   * whose claim lapsed) for one attempt each, until `claimUntil`. Each claim is a compare-and-set
   * on (status, attempts): of two dispatchers seeing the same row, one wins it.
   * @returns the claimed notifications, `attempts` counting this attempt.
   */
  async claimDue(now: string, limit: number, claimUntil: string): Promise<Notification[]> {
    const due = await this.db
      .selectFrom('notifications')
      .selectAll()
      .where('status', 'in', ['pending', 'sending'])
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    const claimed: Notification[] = [];
    for (const row of due) {
      const attempts = toNumber(row.attempts);
      const result = await this.db
        .updateTable('notifications')
        .set({ status: 'sending', attempts: attempts + 1, next_attempt_at: claimUntil })
        .where('id', '=', row.id)
        .where('status', '=', row.status)
        .where('attempts', '=', attempts)
        .executeTakeFirst();
      if (toNumber(result.numUpdatedRows) === 1) {
        claimed.push({ ...fromRow(row), status: 'sending', attempts: attempts + 1, nextAttemptAt: claimUntil });
      }
    }
    return claimed;
  }

  /** The claimed attempt succeeded. False when the claim was lost meanwhile (it lapsed). */
  async markSent(id: string, attempts: number, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('notifications')
      .set({ status: 'sent', sent_at: at, next_attempt_at: null, last_error: null })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('attempts', '=', attempts)
      .executeTakeFirst();
    return toNumber(result.numUpdatedRows) === 1;
  }

  /** The claimed attempt failed: retry at `retryAt`, or give up (`retryAt` null → `failed`). */
  async markAttemptFailed(id: string, attempts: number, error: string, retryAt: string | null): Promise<boolean> {
    const result = await this.db
      .updateTable('notifications')
      .set({ status: retryAt === null ? 'failed' : 'pending', next_attempt_at: retryAt, last_error: error })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('attempts', '=', attempts)
      .executeTakeFirst();
    return toNumber(result.numUpdatedRows) === 1;
  }

  /** Newest first; `before` is the cursor of the previous page's last row. */
  async list(filter: {
    status?: NotificationStatus;
    recipient?: string;
    kind?: string;
    before?: { createdAt: string; id: string };
    limit: number;
  }): Promise<Notification[]> {
    let query = this.db.selectFrom('notifications').selectAll();
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.recipient) query = query.where('recipient', '=', filter.recipient);
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    const before = filter.before;
    if (before) query = query.where(olderThan(before));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map(fromRow);
  }

  /**
   * The newest order-ledger line: a run notes it before computing, and afterwards asks which
   * assignments it sent to review (`awaitingApprovalSince`).
   */
  async ledgerWatermark(): Promise<number> {
    const row = await this.db
      .selectFrom('order_ledger')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirst();
    return row?.max === null || row?.max === undefined ? 0 : toNumber(row.max as number | string);
  }

  /** Assignment ids that moved into 5 Awaiting Approval after the ledger line `watermark`. */
  async awaitingApprovalSince(watermark: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('order_ledger')
      .select('assignment_id')
      .distinct()
      .where('id', '>', sql<number>`${watermark}`)
      .where('state_kind', '=', 'provisioning')
      .where('to_state', '=', 5)
      .execute();
    return rows.map((r) => r.assignment_id).sort();
  }
}

function fromRow(row: Row): Notification {
  return {
    id: row.id,
    createdAt: row.created_at,
    kind: row.kind,
    recipient: row.recipient,
    subject: row.subject,
    body: row.body,
    status: (notificationStatuses as readonly string[]).includes(row.status)
      ? (row.status as NotificationStatus)
      : 'failed',
    attempts: toNumber(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    sentAt: row.sent_at,
    lastError: row.last_error,
  };
}
