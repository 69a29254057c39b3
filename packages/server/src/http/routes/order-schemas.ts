import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiProblem } from '../problem.ts';

/** Page sizes of order and review lists: at most 500 per page (cursor paging beyond). */
export const pageLimit = z.coerce.number().int().min(1).max(500).default(100);
export const cursorParam = z.string().min(1).max(2000).optional();

export const idText = z.string().min(1).max(500);
export const orderIdList = z.array(idText).min(1).max(500);

const scalarValue = z.unknown();
const linkRef = z.object({ id: z.string(), key: z.string() });

/** A provisioning order as the API shows it (reference spec §8.3), with its hand-off details. */
export const orderView = z.object({
  id: z.string(),
  assignedResourceTypeId: z.string(),
  resourceTypeId: z.string(),
  connector: z.string(),
  ownerId: z.string(),
  ownerKey: z.string().nullable(),
  targetResourceId: z.string().nullable(),
  targetKey: z.string().nullable(),
  changeType: z.enum(['added', 'modified', 'deleted']),
  scalars: z.record(z.string(), scalarValue),
  addedLinks: z.record(z.string(), z.array(linkRef).readonly()),
  removedLinks: z.record(z.string(), z.array(linkRef).readonly()),
  assignmentIds: z.array(z.string()).readonly(),
  /** Provisioning state number (0–8, as Usercube). */
  state: z.number().int(),
  notBefore: z.string().nullable(),
  createdAt: z.string(),
  runId: z.string(),
  dispatch: z.object({
    attempts: z.number(),
    nextAttemptAt: z.string().nullable(),
    leaseOwner: z.string().nullable(),
    leaseExpiresAt: z.string().nullable(),
    maybeApplied: z.boolean(),
    lastError: z
      .object({ message: z.string(), kind: z.string(), applied: z.string(), retryable: z.boolean() })
      .nullable(),
    transmittedAt: z.string().nullable(),
    executedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    resultKey: z.string().nullable(),
  }),
});

export const orderPage = z.object({ items: z.array(orderView), nextCursor: z.string().nullable() });

/** Per-item answer of bulk actions on errored orders. */
export const erroredActionAnswer = z.object({
  applied: z.array(z.string()),
  skipped: z.array(z.object({ orderId: z.string(), reason: z.enum(['not_found', 'not_errored']) })),
});

/** The audit actor of a permission-guarded route (access control set the principal). */
export function actorOf(request: FastifyRequest): string {
  if (!request.principal) throw new ApiProblem(401, 'UNAUTHENTICATED', 'sign in first');
  return request.principal.actor;
}
