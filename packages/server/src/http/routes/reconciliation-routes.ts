import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal } from '../../security/principal.ts';
import { decideReconciliation, type ReconciliationArea } from '../../use-cases/reconciliation/decide-reconciliation.ts';
import {
  listResourceReconciliation,
  listRoleReconciliation,
} from '../../use-cases/reconciliation/list-reconciliation.ts';
import { needs } from '../access-control.ts';
import type { ApiDeps } from '../api-deps.ts';
import { ApiProblem } from '../problem.ts';

export const maxReconciliationPage = 500;

const entityTypeParams = z.strictObject({ entityType: z.string().regex(/^[A-Za-z][\w-]{0,99}$/) });

const listQuery = z.strictObject({
  /** The cursor: `nextCursor` of the previous page. */
  after: z.string().min(1).max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(maxReconciliationPage).default(100),
});

const scalarValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const item = z.object({
  id: z.string(),
  category: z.enum(['orphan', 'resource_type', 'scalar', 'navigation', 'single_role', 'composite_role']),
  workflowState: z.number().nullable(),
  ownerId: z.string().nullable(),
  ownerKey: z.string().nullable(),
  resourceTypeId: z.string().nullable(),
  roleId: z.string().nullable(),
  targetResourceId: z.string().nullable(),
  targetKey: z.string().nullable(),
  property: z.string().nullable(),
  proposedValue: scalarValue,
  currentValue: scalarValue,
  valueResourceId: z.string().nullable(),
  valueKey: z.string().nullable(),
  provisioningState: z.number().nullable(),
  orphanKind: z.enum(['owner_gone', 'unowned']).nullable(),
  removedAutomatically: z.boolean(),
});
const page = z.object({ items: z.array(item), nextCursor: z.string().nullable() });

const decision = z
  .strictObject({
    id: z.string().min(1).max(1000),
    decision: z.enum(['keep', 'remove']),
    comment: z.string().max(2000).nullish(),
  })
  .refine((d) => d.decision !== 'keep' || (d.comment ?? '').trim().length > 0, {
    message: 'keeping an item is an exception: say why in a comment',
    path: ['comment'],
  });
const singleBody = z.strictObject({ items: z.array(decision).length(1) });
const bulkBody = z.strictObject({ items: z.array(decision).min(1).max(maxReconciliationPage) });
const results = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      decision: z.enum(['keep', 'remove']),
      workflowState: z.number().nullable(),
      orderId: z.string().nullable(),
    }),
  ),
});

function principal(request: FastifyRequest): Principal {
  if (!request.principal) throw new ApiProblem(401, 'UNAUTHENTICATED', 'sign in first');
  return request.principal;
}

/**
 * Resource reconciliation (orphan accounts, non-conforming and pre-existing resource types,
 * properties and memberships) and role reconciliation. Decisions come in two routes: `decisions`
 * takes exactly one item and needs the plain permission; `decisions/bulk` takes up to 500 and
 * needs the Bulk permission. A bulk set is applied all or nothing (see `decideReconciliation`).
 */
export async function reconciliationRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const areas: readonly {
    area: ReconciliationArea;
    path: string;
    permission: string;
    bulkPermission: string;
    title: string;
  }[] = [
    {
      area: 'resources',
      path: '/api/reconciliation/resources/:entityType',
      permission: '/Custom/ProvisioningPolicy/ReconciliateResources/{entityType}',
      bulkPermission: '/Custom/ProvisioningPolicy/BulkReconciliateResources/{entityType}',
      title: 'Resource reconciliation of a target entity type (e.g. LdapAccount)',
    },
    {
      area: 'roles',
      path: '/api/reconciliation/roles/:entityType',
      permission: '/Custom/ProvisioningPolicy/ReconciliateRoles/{entityType}',
      bulkPermission: '/Custom/ProvisioningPolicy/BulkRoleReconciliation/{entityType}',
      title: 'Role reconciliation of an identity entity type (e.g. Person)',
    },
  ];
  for (const a of areas) {
    api.get(
      a.path,
      {
        config: { access: needs(a.permission) },
        schema: {
          tags: ['reconciliation'],
          summary: `${a.title}: items waiting for keep or remove, in id order`,
          params: entityTypeParams,
          querystring: listQuery,
          response: { 200: page },
        },
      },
      async (request) => {
        const { model } = await deps.models.current();
        const list = a.area === 'resources' ? listResourceReconciliation : listRoleReconciliation;
        const found = await list(deps, model, {
          entityType: request.params.entityType,
          scope: principal(request).scope,
          ...(request.query.after !== undefined ? { after: request.query.after } : {}),
          limit: request.query.limit,
        });
        return { items: [...found.items], nextCursor: found.nextCursor };
      },
    );
    for (const bulk of [false, true]) {
      api.post(
        `${a.path}/decisions${bulk ? '/bulk' : ''}`,
        {
          config: { access: needs(bulk ? a.bulkPermission : a.permission) },
          schema: {
            tags: ['reconciliation'],
            summary: `${a.title}: ${bulk ? 'keep or remove up to 500 items at once (all or nothing)' : 'keep or remove one item'}`,
            params: entityTypeParams,
            body: bulk ? bulkBody : singleBody,
            response: { 200: results },
          },
        },
        async (request) => {
          const { model } = await deps.models.current();
          const who = principal(request);
          const decided = await decideReconciliation(deps, model, {
            area: a.area,
            entityType: request.params.entityType,
            actor: who.actor,
            scope: who.scope,
            items: request.body.items,
          });
          return { results: decided };
        },
      );
    }
  }
}
