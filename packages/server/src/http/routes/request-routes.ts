import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  cancelOwnRequest,
  createRequest,
  getRequest,
  listRequestsOf,
} from '../../use-cases/requests/manage-requests.ts';
import { needs, signedIn } from '../access-control.ts';
import type { ApiDeps } from '../api-deps.ts';
import {
  entityTypeParam,
  idParam,
  pageLimit,
  requestActorOf,
  requestItemKind,
  requestView,
} from './directory-schemas.ts';

const requestPermissions = needs('/Custom/ProvisioningPolicy/RequestPermissions/{entityType}');
const isoDate = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString())
  .optional();

const requestBody = z.strictObject({
  itemKind: requestItemKind,
  itemId: z.string().min(1).max(200),
  /** `remove` asks for the end of a manual (Approved) assignment. */
  action: z.enum(['add', 'remove']).default('add'),
  startDate: isoDate,
  endDate: isoDate,
  comment: z.string().max(4000).optional(),
});

/** Modify Permissions: ask for a role or resource type (or a removal); follow and cancel the request. */
export async function requestRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/api/directory/:entityType/:id/requests',
    {
      config: { access: requestPermissions },
      schema: {
        tags: ['requests'],
        summary: 'Request a role or resource type for an identity (or the removal of a manual assignment)',
        params: z.strictObject({ entityType: entityTypeParam, id: idParam }),
        body: requestBody,
        response: { 201: requestView },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const created = await createRequest(deps, requestActorOf(request), {
        entityType: request.params.entityType,
        ownerId: request.params.id,
        itemKind: body.itemKind,
        itemId: body.itemId,
        action: body.action,
        startDate: body.startDate ?? null,
        endDate: body.endDate ?? null,
        comment: body.comment ?? null,
      });
      return reply.status(201).send(created);
    },
  );

  api.get(
    '/api/directory/:entityType/:id/requests',
    {
      config: { access: needs('/Custom/Resources/{entityType}/View') },
      schema: {
        tags: ['requests'],
        summary: 'The requests about an identity, newest first, whatever their status',
        params: z.strictObject({ entityType: entityTypeParam, id: idParam }),
        querystring: z.strictObject({ limit: pageLimit }),
        response: { 200: z.object({ items: z.array(requestView) }) },
      },
    },
    async (request) => ({
      items: await listRequestsOf(deps, requestActorOf(request), {
        entityType: request.params.entityType,
        id: request.params.id,
        limit: request.query.limit,
      }),
    }),
  );

  api.get(
    '/api/requests/:requestId',
    {
      config: { access: signedIn },
      schema: {
        tags: ['requests'],
        summary: 'One request with its decisions (its requester, or whoever may view its identity)',
        params: z.strictObject({ requestId: idParam }),
        response: { 200: requestView },
      },
    },
    async (request) => getRequest(deps, requestActorOf(request), request.params.requestId),
  );

  api.post(
    '/api/requests/:requestId/cancel',
    {
      config: { access: signedIn },
      schema: {
        tags: ['requests'],
        summary: 'Cancel your own pending request',
        params: z.strictObject({ requestId: idParam }),
        response: { 200: requestView },
      },
    },
    async (request) => cancelOwnRequest(deps, requestActorOf(request), request.params.requestId),
  );
}
