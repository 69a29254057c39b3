import type { ProvisioningState } from '@ordo/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actOnErrorsInbox } from '../../use-cases/orders/errors-inbox-actions.ts';
import { errorsInbox, getOrder, searchOrders } from '../../use-cases/orders/search-orders.ts';
import { needs } from '../access-control.ts';
import type { ApiDeps } from '../api-deps.ts';
import {
  actorOf,
  cursorParam,
  erroredActionAnswer,
  idText,
  orderIdList,
  orderView,
  pageLimit,
} from './order-schemas.ts';

/** A comma-separated list in a query string: `state=1,3`. */
const commaList = <T extends z.ZodType>(item: T) =>
  z
    .string()
    .max(4000)
    .transform((text, ctx) => {
      const parts = text.split(',').map((p) => p.trim());
      const parsed = z.array(item).min(1).max(100).safeParse(parts);
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: `not a list of valid values: ${parsed.error.issues[0]?.message}` });
        return z.NEVER;
      }
      return parsed.data as z.output<T>[];
    });

const orderQuery = z.strictObject({
  /** Provisioning states, comma-separated (e.g. `3` or `1,2`). */
  state: commaList(z.coerce.number().int().min(0).max(8)).optional(),
  connector: commaList(z.string().min(1).max(200)).optional(),
  resourceType: commaList(z.string().min(1).max(200)).optional(),
  /** Owner identity id (e.g. `Person:E00001`). */
  owner: idText.optional(),
  createdFrom: z.iso.datetime({ offset: true }).optional(),
  createdTo: z.iso.datetime({ offset: true }).optional(),
  cursor: cursorParam,
  limit: pageLimit,
});

/** Either a list of order ids or one group of the inbox. */
const inboxSelection = z.union([
  z.strictObject({ orderIds: orderIdList }),
  z.strictObject({ group: z.strictObject({ connector: idText, kind: idText }) }),
]);

const errorGroup = z.object({
  connector: z.string(),
  kind: z.string(),
  count: z.number(),
  oldestAt: z.string(),
  newestAt: z.string(),
  examples: z.array(
    z.object({
      orderId: z.string(),
      ownerId: z.string(),
      resourceTypeId: z.string(),
      message: z.string(),
      createdAt: z.string(),
    }),
  ),
});

const ledgerEntry = z.object({
  id: z.number(),
  assignmentId: z.string(),
  ownerId: z.string(),
  stateKind: z.string(),
  from: z.number().nullable(),
  to: z.number().nullable(),
  event: z.string(),
  ruleId: z.string().nullable(),
  expressionResult: z.unknown().optional(),
  message: z.string().nullable(),
  orderId: z.string().nullable(),
  cause: z.object({ kind: z.string(), id: z.string() }),
  at: z.string(),
});

const iso = (value: string | undefined) => (value === undefined ? undefined : new Date(value).toISOString());

/** Orders: search, one order with its timeline, and the errors inbox with bulk retry and dismiss. */
export async function orderRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/orders',
    {
      config: { access: needs('/ProvisioningPolicy/ProvisioningOrder/Query') },
      schema: {
        tags: ['orders'],
        summary: 'Search orders by state, connector, resource type, owner and creation time, newest first',
        querystring: orderQuery,
        response: { 200: z.object({ items: z.array(orderView), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const q = request.query;
      const createdFrom = iso(q.createdFrom);
      const createdTo = iso(q.createdTo);
      return searchOrders(deps, {
        ...(q.state ? { states: q.state as ProvisioningState[] } : {}),
        ...(q.connector ? { connectors: q.connector } : {}),
        ...(q.resourceType ? { resourceTypeIds: q.resourceType } : {}),
        ...(q.owner !== undefined ? { ownerId: q.owner } : {}),
        ...(createdFrom !== undefined ? { createdFrom } : {}),
        ...(createdTo !== undefined ? { createdTo } : {}),
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
        limit: q.limit,
      });
    },
  );

  api.get(
    '/api/orders/errors',
    {
      config: { access: needs('/ProvisioningPolicy/ProvisioningOrder/Query') },
      schema: {
        tags: ['orders'],
        summary: 'The errors inbox: errored orders grouped by connector and error kind',
        querystring: z.strictObject({ examples: z.coerce.number().int().min(0).max(20).default(3) }),
        response: {
          200: z.object({ groups: z.array(errorGroup), total: z.number(), truncated: z.boolean() }),
        },
      },
    },
    async (request) => errorsInbox(deps, { examples: request.query.examples }),
  );

  api.post(
    '/api/orders/errors/retry',
    {
      config: { access: needs('/ProvisioningPolicy/ProvisioningOrder/Unblock') },
      schema: {
        tags: ['orders'],
        summary: 'Retry errored orders (→ 1 Pending): a list of ids or a whole group; per-item results',
        body: inboxSelection,
        response: { 200: erroredActionAnswer },
      },
    },
    async (request) => actOnErrorsInbox(deps, 'retry', request.body, actorOf(request)),
  );

  api.post(
    '/api/orders/errors/dismiss',
    {
      config: { access: needs('/ProvisioningPolicy/ProvisioningOrder/Dismiss') },
      schema: {
        tags: ['orders'],
        summary: 'Dismiss errored orders (→ 6 Inactive, never sent): a list of ids or a whole group',
        body: inboxSelection,
        response: { 200: erroredActionAnswer },
      },
    },
    async (request) => actOnErrorsInbox(deps, 'dismiss', request.body, actorOf(request)),
  );

  api.get(
    '/api/orders/:id',
    {
      config: { access: needs('/ProvisioningPolicy/ProvisioningOrder/Query') },
      schema: {
        tags: ['orders'],
        summary: 'One order with its timeline from the order ledger',
        params: z.strictObject({ id: idText }),
        response: { 200: z.object({ order: orderView, timeline: z.array(ledgerEntry).readonly() }) },
      },
    },
    async (request) => getOrder(deps, request.params.id),
  );
}
