import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CountCache } from '../../use-cases/home/count-cache.ts';
import { countLimit, describeDuties } from '../../use-cases/home/describe-duties.ts';
import { mayCallRoute, type RouteEntry, signedIn } from '../access-control.ts';
import type { ApiDeps } from '../api-deps.ts';
import { ApiProblem } from '../problem.ts';

const duty = z.object({
  screen: z.enum([
    'directory',
    'role-review',
    'provisioning-review',
    'manual-provisioning',
    'resource-reconciliation',
    'role-reconciliation',
    'orders',
    'errors',
    'jobs',
    'connectors',
  ]),
  entityType: z.string().nullable(),
  entityTypeName: z.string().nullable(),
  count: z.number().int().nullable(),
  more: z.boolean(),
});

/** The home page: the screens the caller may open (from the enforced route table) and their queues. */
export async function homeRoutes(app: FastifyInstance, deps: ApiDeps, routes: readonly RouteEntry[]): Promise<void> {
  // One minute: a reconciliation item found by a synchronization reaches the home card within it;
  // the Reconciliation screen itself always lists afresh.
  const reconciliationCounts = new CountCache(60_000, () => Date.parse(deps.clock.now()));
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/home',
    {
      config: { access: signedIn },
      schema: {
        tags: ['session'],
        summary: `The screens you may open, each with the number of items waiting on it (counted up to ${countLimit})`,
        response: { 200: z.object({ duties: z.array(duty) }) },
      },
    },
    async (request) => {
      if (!request.principal) throw new ApiProblem(401, 'UNAUTHENTICATED', 'sign in first');
      const { permissions } = request.principal;
      const mayOpen = (url: string, entityType: string | null) =>
        mayCallRoute(routes, permissions, url, entityType ? { entityType } : {});
      return { duties: await describeDuties({ ...deps, reconciliationCounts }, request.principal, mayOpen) };
    },
  );
}
