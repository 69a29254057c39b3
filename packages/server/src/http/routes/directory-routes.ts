import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  assignmentTimeline,
  getIdentity,
  listPermissions,
  requestableFor,
  searchIdentities,
} from '../../use-cases/directory/browse-directory.ts';
import { needs } from '../access-control.ts';
import type { ApiDeps } from '../api-deps.ts';
import {
  cursorParam,
  entityTypeParam,
  identitySummary,
  idParam,
  pageLimit,
  requestActorOf,
  requestItemKind,
  stateName,
  timelineEntry,
} from './directory-schemas.ts';

const view = needs('/Custom/Resources/{entityType}/View');
const entityParams = z.strictObject({ entityType: entityTypeParam });
const identityParams = entityParams.extend({ id: idParam });

const assignmentView = z.object({
  id: z.string(),
  kind: z.enum(['composite_role', 'single_role', 'resource_type', 'scalar', 'navigation']),
  label: z.string(),
  displayName: z.string(),
  roleId: z.string().nullable(),
  resourceTypeId: z.string().nullable(),
  property: z.string().nullable(),
  value: z.unknown(),
  workflowState: stateName,
  provisioningState: stateName.nullable(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  ruleId: z.string().nullable(),
  message: z.string().nullable(),
  pendingRequestId: z.string().nullable(),
  timeline: z.array(timelineEntry),
});

/** Directory: identities within the viewer's scope, their values, accounts, permissions and history. */
export async function directoryRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/directory/:entityType',
    {
      config: { access: view },
      schema: {
        tags: ['directory'],
        summary: 'Search identities (key and scalar values), within your scope, in id order with cursor paging',
        params: entityParams,
        querystring: z.strictObject({ q: z.string().max(200).optional(), cursor: cursorParam, limit: pageLimit }),
        response: { 200: z.object({ items: z.array(identitySummary), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) =>
      searchIdentities(deps, requestActorOf(request), {
        entityType: request.params.entityType,
        limit: request.query.limit,
        ...(request.query.q ? { text: request.query.q } : {}),
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
      }),
  );

  api.get(
    '/api/directory/:entityType/:id',
    {
      config: { access: view },
      schema: {
        tags: ['directory'],
        summary: 'One identity with its values, links and owned resources (accounts)',
        params: identityParams,
        response: {
          200: identitySummary.extend({
            links: z.record(z.string(), z.array(z.object({ id: z.string(), key: z.string() }))),
            owns: z.array(
              z.object({ assignmentId: z.string(), resourceTypeId: z.string(), resource: identitySummary }),
            ),
          }),
        },
      },
    },
    async (request) => getIdentity(deps, requestActorOf(request), request.params.entityType, request.params.id),
  );

  api.get(
    '/api/directory/:entityType/:id/permissions',
    {
      config: { access: view },
      schema: {
        tags: ['directory'],
        summary: 'Every assignment of the identity with workflow and provisioning states, dates and timeline',
        params: identityParams,
        response: { 200: z.object({ items: z.array(assignmentView) }) },
      },
    },
    async (request) => ({
      items: await listPermissions(deps, requestActorOf(request), request.params.entityType, request.params.id),
    }),
  );

  api.get(
    '/api/directory/:entityType/:id/permissions/:assignmentId/timeline',
    {
      config: { access: view },
      schema: {
        tags: ['directory'],
        summary: 'The order-ledger timeline of one assignment of the identity, oldest first',
        params: identityParams.extend({ assignmentId: idParam }),
        response: { 200: z.object({ items: z.array(timelineEntry) }) },
      },
    },
    async (request) => ({
      items: await assignmentTimeline(
        deps,
        requestActorOf(request),
        request.params.entityType,
        request.params.id,
        request.params.assignmentId,
      ),
    }),
  );

  api.get(
    '/api/directory/:entityType/:id/requestable',
    {
      config: { access: view },
      schema: {
        tags: ['directory'],
        summary: 'Roles and resource types the identity may be given by request, with their approval steps',
        params: identityParams,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                kind: requestItemKind,
                id: z.string(),
                displayName: z.string(),
                category: z.string().nullable(),
                categoryName: z.string().nullable(),
                approvalSteps: z.number().int(),
                implicitApproval: z.boolean(),
                assignmentId: z.string(),
                currentWorkflowState: stateName.nullable(),
                pendingRequestId: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      items: await requestableFor(deps, requestActorOf(request), request.params.entityType, request.params.id),
    }),
  );
}
