import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decideOnRequest, listPendingForReview } from '../../use-cases/requests/manage-requests.ts';
import { needs } from '../access-control.ts';
import type { ApiDeps } from '../api-deps.ts';
import { cursorParam, entityTypeParam, idParam, pageLimit, requestActorOf, requestView } from './directory-schemas.ts';

const reviewRoles = needs('/Custom/ProvisioningPolicy/ReviewRoles/{entityType}');
const entityParams = z.strictObject({ entityType: entityTypeParam });

/** Role Review: pending requests of the identities in your scope, and step decisions. */
export async function roleReviewRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/role-review/:entityType',
    {
      config: { access: reviewRoles },
      schema: {
        tags: ['role-review'],
        summary: 'Pending requests within your scope, oldest first, with the step each waits for',
        params: entityParams,
        querystring: z.strictObject({ cursor: cursorParam, limit: pageLimit }),
        response: {
          200: z.object({
            items: z.array(requestView.extend({ mayDecide: z.boolean() })),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (request) =>
      listPendingForReview(deps, requestActorOf(request), {
        entityType: request.params.entityType,
        limit: request.query.limit,
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
      }),
  );

  api.post(
    '/api/role-review/:entityType/:requestId/decision',
    {
      config: { access: reviewRoles },
      schema: {
        tags: ['role-review'],
        summary:
          'Approve or decline the step a request waits for. `step` is the step you looked at: if someone decided it meanwhile, the answer is 409 REQUEST_ALREADY_DECIDED',
        params: entityParams.extend({ requestId: idParam }),
        body: z.strictObject({
          decision: z.enum(['approve', 'decline']),
          step: z.coerce.number().int().min(1).max(3),
          comment: z.string().max(4000).optional(),
        }),
        response: { 200: requestView },
      },
    },
    async (request) =>
      decideOnRequest(deps, requestActorOf(request), {
        entityType: request.params.entityType,
        requestId: request.params.requestId,
        decision: request.body.decision,
        step: request.body.step,
        comment: request.body.comment ?? null,
      }),
  );
}
