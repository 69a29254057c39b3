import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listNotifications, maxNotificationPage } from '../../notifications/list-notifications.ts';
import { notificationStatuses } from '../../storage/notification-store.ts';
import { needs } from '../access-control.ts';
import type { ApiDeps } from '../api-deps.ts';

const notificationQuery = z.strictObject({
  status: z.enum(notificationStatuses as [string, ...string[]]).optional(),
  recipient: z.string().min(1).max(200).optional(),
  kind: z.string().min(1).max(200).optional(),
  /** The cursor: `nextBefore` of the previous page. */
  before: z.string().min(1).max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(maxNotificationPage).default(100),
});

const notification = z.object({
  id: z.string(),
  createdAt: z.string(),
  kind: z.string(),
  recipient: z.string(),
  subject: z.string(),
  body: z.string(),
  status: z.string(),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  lastError: z.string().nullable(),
});

/** The notification outbox, for administrators: what was sent to whom, what is retrying or failed. */
export async function notificationRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/notifications',
    {
      config: { access: needs('/Administration/Notification/Query') },
      schema: {
        tags: ['notifications'],
        summary: 'Notifications of the outbox, newest first, filtered by status, with cursor paging',
        querystring: notificationQuery,
        response: { 200: z.object({ items: z.array(notification), nextBefore: z.string().nullable() }) },
      },
    },
    async (request) => {
      const q = request.query;
      const found = await listNotifications(deps, {
        ...(q.status !== undefined ? { status: q.status as (typeof notificationStatuses)[number] } : {}),
        ...(q.recipient !== undefined ? { recipient: q.recipient } : {}),
        ...(q.kind !== undefined ? { kind: q.kind } : {}),
        ...(q.before !== undefined ? { before: q.before } : {}),
        limit: q.limit,
      });
      return { items: [...found.items], nextBefore: found.nextBefore };
    },
  );
}
