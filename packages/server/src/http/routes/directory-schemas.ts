import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RequestActor } from '../../use-cases/requests/request-deps.ts';
import { ApiProblem } from '../problem.ts';

/** Schemas shared by the Directory, Modify Permissions and Role Review routes. */

export const entityTypeParam = z.string().min(1).max(200);
export const idParam = z.string().min(1).max(500);
export const pageLimit = z.coerce.number().int().min(1).max(500).default(50);
export const cursorParam = z.string().min(1).max(2000).optional();

/** A state number with its name, e.g. `{ number: 9, name: "Pending Approval 1 of 2" }`. */
export const stateName = z.object({ number: z.number().int(), name: z.string() });

export const scalarValues = z.record(z.string(), z.unknown());

export const identitySummary = z.object({
  id: z.string(),
  key: z.string(),
  entityType: z.string(),
  values: scalarValues,
});

export const timelineEntry = z.object({
  id: z.number(),
  at: z.string(),
  stateKind: z.enum(['provisioning', 'workflow']),
  from: stateName.nullable(),
  to: stateName.nullable(),
  event: z.string(),
  ruleId: z.string().nullable(),
  message: z.string().nullable(),
  orderId: z.string().nullable(),
  cause: z.object({ kind: z.string(), id: z.string() }),
});

export const requestItemKind = z.enum(['single_role', 'composite_role', 'resource_type']);

/** A manual request with where its approval stands. */
export const requestView = z.object({
  id: z.string(),
  owner: z.object({ id: z.string(), key: z.string(), entityType: z.string() }),
  item: z.object({ kind: requestItemKind, id: z.string(), displayName: z.string() }),
  assignmentId: z.string(),
  action: z.enum(['add', 'remove']),
  requestedBy: z.string(),
  requestedAt: z.string(),
  comment: z.string().nullable(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  steps: z.number().int(),
  approvals: z.number().int(),
  status: z.enum(['pending', 'approved', 'declined', 'cancelled']),
  /** "1 of 2" while pending. */
  step: z.string().nullable(),
  decidedAt: z.string().nullable(),
  autoDecision: z.enum(['approve', 'decline']).nullable(),
  autoDecideAt: z.string().nullable(),
  decisions: z.array(
    z.object({
      step: z.number().int(),
      decision: z.enum(['approved', 'declined', 'auto_approved', 'auto_declined']),
      decidedBy: z.string(),
      decidedAt: z.string(),
      comment: z.string().nullable(),
    }),
  ),
});

/** The caller as the request use cases see it (access control set the principal). */
export function requestActorOf(request: FastifyRequest): RequestActor {
  const principal = request.principal;
  if (!principal) throw new ApiProblem(401, 'UNAUTHENTICATED', 'sign in first');
  return { actor: principal.actor, permissions: principal.permissions, scope: principal.scope };
}
