import Fastify, { type FastifyInstance } from 'fastify';
import type { FulfilmentMetrics } from '../observability/fulfilment-metrics.ts';
import { type AgentRoutesDeps, agentRoutes } from './agent-routes.ts';
import { problemHandler } from './problem.ts';

export interface AppDeps extends AgentRoutesDeps {
  /** Served as Prometheus text at `/metrics`. */
  readonly metrics?: Pick<FulfilmentMetrics, 'registry'>;
  /** pino options, or false for no request log (tests). */
  readonly logger?: boolean | object;
}

/** Builds the HTTP app without listening (house rule 8): tests use `inject`, `main` listens. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    // Secrets never reach logs: the agent's bearer token is redacted from request logs.
    ...(deps.logger
      ? { logger: { redact: ['req.headers.authorization'], ...(typeof deps.logger === 'object' ? deps.logger : {}) } }
      : {}),
  });
  app.setErrorHandler(problemHandler);
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .type('application/problem+json')
      .send({
        type: 'urn:ordo:problem:NOT_FOUND',
        title: 'NOT_FOUND',
        status: 404,
        code: 'NOT_FOUND',
        detail: `no route ${request.method} ${request.url.split('?')[0]}`,
      }),
  );
  app.get('/health', async () => ({ status: 'ok' }));
  const metrics = deps.metrics;
  if (metrics) {
    app.get('/metrics', async (_request, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    );
  }
  await app.register(async (scope) => agentRoutes(scope, deps));
  return app;
}
