import type { Notification, NotificationStatus } from '../storage/notification-store.ts';
import type { Stores } from '../storage/stores.ts';
import { decodeTimeCursor, encodeTimeCursor } from '../use-cases/page-cursor.ts';

export const maxNotificationPage = 500;

export interface NotificationPage {
  readonly items: readonly Notification[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  readonly nextBefore: string | null;
}

/** The outbox, newest first, filtered by status, recipient or kind, with an opaque cursor. */
export async function listNotifications(
  deps: { stores: Pick<Stores, 'notifications'> },
  query: { status?: NotificationStatus; recipient?: string; kind?: string; before?: string; limit: number },
): Promise<NotificationPage> {
  const limit = Math.min(Math.max(1, query.limit), maxNotificationPage);
  const before = decodeTimeCursor(query.before);
  const items = await deps.stores.notifications.list({
    ...(query.status ? { status: query.status } : {}),
    ...(query.recipient ? { recipient: query.recipient } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(before ? { before } : {}),
    limit,
  });
  const last = items[items.length - 1];
  return { items, nextBefore: items.length === limit && last ? encodeTimeCursor(last) : null };
}
