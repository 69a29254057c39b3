import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decideProvisioningReview } from '../../use-cases/provisioning-review/decide-provisioning-review.ts';
import {
  listReviewErroredOrders,
  listReviewProperties,
  listReviewResources,
} from '../../use-cases/provisioning-review/list-provisioning-review.ts';
import { unblockReviewOrders } from '../../use-cases/provisioning-review/unblock-review-orders.ts';
import { needs } from '../access-control.ts';
import type { ApiDeps } from '../api-deps.ts';
import { ApiProblem } from '../problem.ts';
import {
  actorOf,
  cursorParam,
  erroredActionAnswer,
  idText,
  orderIdList,
  orderPage,
  pageLimit,
} from './order-schemas.ts';

const review = needs('/Custom/ProvisioningPolicy/ReviewProvisioning/{entityType}');
const bulkReview = needs('/Custom/ProvisioningPolicy/BulkReviewProvisioning/{entityType}');
const entityTypeParams = z.strictObject({ entityType: z.string().min(1).max(200) });

const reviewQuery = z.strictObject({
  /** `resource` (default): one line per resource; `property`: one line per pending value. */
  view: z.enum(['resource', 'property']).default('resource'),
  /** Property view: the resource type (required there). */
  resourceType: z.string().min(1).max(200).optional(),
  /** Property view: only this property. */
  property: z.string().min(1).max(200).optional(),
  cursor: cursorParam,
  limit: pageLimit,
});

const dated = {
  provisioningState: z.number().int(),
  workflowState: z.number().int(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  message: z.string().nullable(),
};
const reviewProperty = z.object({
  assignmentId: z.string(),
  kind: z.enum(['scalar', 'navigation']),
  property: z.string(),
  operation: z.enum(['add', 'update', 'remove']).nullable(),
  proposedValue: z.unknown(),
  currentValue: z.unknown(),
  valueResourceId: z.string().nullable(),
  confidence: z.number().nullable(),
  ...dated,
});
const reviewKind = z.enum(['addition', 'association', 'update', 'deletion']);
const owner = z.object({ id: z.string(), key: z.string().nullable() });
const reviewResource = z.object({
  assignedResourceTypeId: z.string(),
  resourceTypeId: z.string(),
  kind: reviewKind,
  owner,
  target: z.object({ id: z.string(), key: z.string().nullable() }).nullable(),
  confidence: z.number().nullable(),
  resourceAwaiting: z.boolean(),
  ...dated,
  properties: z.array(reviewProperty),
});
const reviewPropertyLine = reviewProperty.extend({
  assignedResourceTypeId: z.string(),
  resourceTypeId: z.string(),
  owner,
  reviewKind,
});

const decisionBody = z.strictObject({
  /** `confirm` approves the resource and applies the per-value decisions; `ignore` declines everything. */
  outcome: z.enum(['confirm', 'ignore']),
  /** Per-value decisions; values not listed take `unlisted` on `confirm`. */
  properties: z
    .array(z.strictObject({ assignmentId: idText, decision: z.enum(['approve', 'decline', 'postpone']) }))
    .max(1000)
    .default([]),
  /** `approve` (default; the resource view) or `postpone` (the property view: unseen values wait). */
  unlisted: z.enum(['approve', 'postpone']).default('approve'),
  comment: z.string().max(2000).optional(),
});

/** Provisioning Review (reference spec §6): items in 5 Awaiting Approval, decisions, errored orders. */
export async function provisioningReviewRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const model = async () => (await deps.models.current()).model;

  api.get(
    '/api/provisioning-review/:entityType',
    {
      config: { access: review },
      schema: {
        tags: ['provisioning-review'],
        summary: 'Items awaiting approval: resource view, or property view (?view=property&resourceType=)',
        params: entityTypeParams,
        querystring: reviewQuery,
        response: {
          200: z.object({
            view: z.enum(['resource', 'property']),
            items: z.array(z.union([reviewResource, reviewPropertyLine])),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const page = { ...(q.cursor !== undefined ? { cursor: q.cursor } : {}), limit: q.limit };
      if (q.view === 'resource') {
        return { view: q.view, ...(await listReviewResources(deps, await model(), request.params.entityType, page)) };
      }
      if (q.resourceType === undefined) {
        throw new ApiProblem(400, 'VALIDATION_FAILED', 'the property view needs a resource type', [
          { path: 'querystring.resourceType', message: 'required when view=property' },
        ]);
      }
      const lines = await listReviewProperties(deps, await model(), request.params.entityType, {
        resourceTypeId: q.resourceType,
        ...(q.property !== undefined ? { property: q.property } : {}),
        ...page,
      });
      return { view: q.view, ...lines };
    },
  );

  api.get(
    '/api/provisioning-review/:entityType/errored',
    {
      config: { access: review },
      schema: {
        tags: ['provisioning-review'],
        summary: "Errored orders of the entity type's resource types, newest first",
        params: entityTypeParams,
        querystring: z.strictObject({ cursor: cursorParam, limit: pageLimit }),
        response: { 200: orderPage },
      },
    },
    async (request) =>
      listReviewErroredOrders(deps, await model(), request.params.entityType, {
        ...(request.query.cursor !== undefined ? { cursor: request.query.cursor } : {}),
        limit: request.query.limit,
      }),
  );

  api.post(
    '/api/provisioning-review/:entityType/resources/:assignedResourceTypeId/decision',
    {
      config: { access: review },
      schema: {
        tags: ['provisioning-review'],
        summary: 'Decide one resource: per-value approve / decline / postpone, then confirm or ignore',
        params: entityTypeParams.extend({ assignedResourceTypeId: idText }),
        body: decisionBody,
        response: {
          200: z.object({
            assignedResourceTypeId: z.string(),
            decided: z.array(
              z.object({
                assignmentId: z.string(),
                decision: z.enum(['approve', 'decline', 'postpone']),
                provisioningState: z.number().int(),
              }),
            ),
          }),
        },
      },
    },
    async (request) =>
      decideProvisioningReview(deps, await model(), {
        entityType: request.params.entityType,
        assignedResourceTypeId: request.params.assignedResourceTypeId,
        outcome: request.body.outcome,
        properties: request.body.properties,
        unlisted: request.body.unlisted,
        ...(request.body.comment !== undefined ? { comment: request.body.comment } : {}),
        actor: actorOf(request),
      }),
  );

  api.post(
    '/api/provisioning-review/:entityType/errored/unblock',
    {
      config: { access: bulkReview },
      schema: {
        tags: ['provisioning-review'],
        summary: 'Unblock several errored orders (→ 1 Pending); per-item results',
        params: entityTypeParams,
        body: z.strictObject({ orderIds: orderIdList }),
        response: { 200: erroredActionAnswer },
      },
    },
    async (request) =>
      unblockReviewOrders(
        deps,
        await model(),
        request.params.entityType,
        request.body.orderIds,
        actorOf(request),
        'bulk',
      ),
  );

  api.post(
    '/api/provisioning-review/:entityType/errored/:orderId/unblock',
    {
      config: { access: review },
      schema: {
        tags: ['provisioning-review'],
        summary: 'Unblock one errored order (→ 1 Pending)',
        params: entityTypeParams.extend({ orderId: idText }),
        response: { 200: erroredActionAnswer },
      },
    },
    async (request) =>
      unblockReviewOrders(
        deps,
        await model(),
        request.params.entityType,
        [request.params.orderId],
        actorOf(request),
        'single',
      ),
  );
}
