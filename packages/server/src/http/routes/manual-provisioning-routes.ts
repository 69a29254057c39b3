import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  listManualOrders,
  type ManualAction,
  performManualOrders,
} from '../../use-cases/manual-provisioning/manual-provisioning.ts';
import { needs } from '../access-control.ts';
import type { ApiDeps } from '../api-deps.ts';
import { actorOf, cursorParam, idText, orderIdList, orderPage, pageLimit } from './order-schemas.ts';

const perform = needs('/Custom/ProvisioningPolicy/PerformManualProvisioning/{entityType}');
const bulkPerform = needs('/Custom/ProvisioningPolicy/BulkPerformManualProvisioning/{entityType}');
const entityTypeParams = z.strictObject({ entityType: z.string().min(1).max(200) });
const orderParams = entityTypeParams.extend({ orderId: idText });
const errorMessage = z.string().trim().min(1).max(2000);

const performedAnswer = z.object({
  orders: z.array(z.object({ orderId: z.string(), state: z.number().int() })),
});

/** Manual Provisioning (reference spec §7): Transmitted manual orders; confirm or report an error. */
export async function manualProvisioningRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const model = async () => (await deps.models.current()).model;
  const performed = async (entityType: string, orderIds: readonly string[], action: ManualAction, actor: string) => ({
    orders: await performManualOrders(deps, await model(), entityType, orderIds, action, actor),
  });

  api.get(
    '/api/manual-provisioning/:entityType',
    {
      config: { access: perform },
      schema: {
        tags: ['manual-provisioning'],
        summary: 'Manual orders in 2 Transmitted for owners of this entity type, newest first',
        params: entityTypeParams,
        querystring: z.strictObject({ cursor: cursorParam, limit: pageLimit }),
        response: { 200: orderPage },
      },
    },
    async (request) =>
      listManualOrders(deps, await model(), request.params.entityType, {
        ...(request.query.cursor !== undefined ? { cursor: request.query.cursor } : {}),
        limit: request.query.limit,
      }),
  );

  api.post(
    '/api/manual-provisioning/:entityType/confirm',
    {
      config: { access: bulkPerform },
      schema: {
        tags: ['manual-provisioning'],
        summary: 'Confirm several manual orders: all or nothing',
        params: entityTypeParams,
        body: z.strictObject({ orderIds: orderIdList }),
        response: { 200: performedAnswer },
      },
    },
    async (request) =>
      performed(request.params.entityType, request.body.orderIds, { kind: 'confirm' }, actorOf(request)),
  );

  api.post(
    '/api/manual-provisioning/:entityType/error',
    {
      config: { access: bulkPerform },
      schema: {
        tags: ['manual-provisioning'],
        summary: 'Report that several manual orders could not be done (→ 3 Errored): all or nothing',
        params: entityTypeParams,
        body: z.strictObject({ orderIds: orderIdList, message: errorMessage }),
        response: { 200: performedAnswer },
      },
    },
    async (request) =>
      performed(
        request.params.entityType,
        request.body.orderIds,
        { kind: 'error', message: request.body.message },
        actorOf(request),
      ),
  );

  api.post(
    '/api/manual-provisioning/:entityType/:orderId/confirm',
    {
      config: { access: perform },
      schema: {
        tags: ['manual-provisioning'],
        summary: 'Confirm one manual order (→ 8 Executed, or 4 Verified without synchronization)',
        params: orderParams,
        response: { 200: performedAnswer },
      },
    },
    async (request) =>
      performed(request.params.entityType, [request.params.orderId], { kind: 'confirm' }, actorOf(request)),
  );

  api.post(
    '/api/manual-provisioning/:entityType/:orderId/error',
    {
      config: { access: perform },
      schema: {
        tags: ['manual-provisioning'],
        summary: 'Report that one manual order could not be done (→ 3 Errored)',
        params: orderParams,
        body: z.strictObject({ message: errorMessage }),
        response: { 200: performedAnswer },
      },
    },
    async (request) =>
      performed(
        request.params.entityType,
        [request.params.orderId],
        { kind: 'error', message: request.body.message },
        actorOf(request),
      ),
  );
}
