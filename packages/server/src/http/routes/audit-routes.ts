import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { maxAuditPage, queryAudit } from '../../use-cases/query-audit.ts';
import { needs } from '../access-control.ts';
import type { ApiDeps } from '../api-deps.ts';

const auditQuery = z.strictObject({
  actor: z.string().min(1).max(300).optional(),
  action: z.string().min(1).max(200).optional(),
  targetKind: z.string().min(1).max(200).optional(),
  targetId: z.string().min(1).max(500).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  /** The cursor: `nextBefore` of the previous page. */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(maxAuditPage).default(100),
});

const auditRecord = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  targetKind: z.string(),
  targetId: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  detail: z.string().optional(),
});

const iso = (value: string | undefined) => (value === undefined ? undefined : new Date(value).toISOString());

/** The audit log, read only: no route changes or deletes it. */
export async function auditRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/audit',
    {
      config: { access: needs('/Administration/AuditLog/Query') },
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first, with filters and id-cursor paging',
        querystring: auditQuery,
        response: { 200: z.object({ items: z.array(auditRecord), nextBefore: z.number().nullable() }) },
      },
    },
    async (request) => {
      const q = request.query;
      const since = iso(q.since);
      const until = iso(q.until);
      return queryAudit(deps, {
        ...(q.actor !== undefined ? { actor: q.actor } : {}),
        ...(q.action !== undefined ? { action: q.action } : {}),
        ...(q.targetKind !== undefined ? { targetKind: q.targetKind } : {}),
        ...(q.targetId !== undefined ? { targetId: q.targetId } : {}),
        ...(since !== undefined ? { since } : {}),
        ...(until !== undefined ? { until } : {}),
        ...(q.before !== undefined ? { beforeId: q.before } : {}),
        limit: q.limit,
      });
    },
  );
}
