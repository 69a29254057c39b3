import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { installAccessControl, needs, publicAccess, type RouteEntry } from './access-control.ts';
import { agentRoutes } from './agent-routes.ts';
import type { ApiDeps } from './api-deps.ts';
import { problemHandler } from './problem.ts';
import { homeRoutes } from './routes/home-routes.ts';
import { apiRouteModules } from './routes/index.ts';
import { serveWebUi } from './web-ui.ts';

export type AppDeps = ApiDeps;

export interface OrdoApp {
  readonly app: FastifyInstance;
  /** Every route with its access rule, as registered (the authorization matrix walks it). */
  readonly routes: readonly RouteEntry[];
}

/** Builds the HTTP app without listening (house rule 8): tests use `inject`, `main` listens. */
export async function buildApp(deps: AppDeps): Promise<OrdoApp> {
  const app = Fastify({
    ...(deps.trustProxy ? { trustProxy: deps.trustProxy } : {}),
    logger: deps.logger ?? false,
    // Secrets never reach logs: bearer tokens, session cookies and CSRF tokens are redacted.
    ...(deps.logger
      ? {
          logger: {
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
            ...(typeof deps.logger === 'object' ? deps.logger : {}),
          },
        }
      : {}),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
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
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Ordo API',
        version: '1',
        description:
          'Identity provisioning engine. People sign in with POST /api/session (cookie + x-csrf-token header on changes); programs send an API token as a bearer token. Errors are RFC 9457 problem+json with a stable code.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'ordo_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  const routes = installAccessControl(app, deps);

  // Load balancers take a node out when its database is unreachable: the answer is then 503.
  app.get('/health', { config: { access: publicAccess }, schema: { hide: true } }, async (_request, reply) => {
    try {
      const configuration = await deps.stores.configVersions.latestNumber();
      return { status: 'ok', database: 'ok', configurationVersion: configuration };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: 'unreachable' });
    }
  });
  app.get('/api/openapi.json', { config: { access: publicAccess }, schema: { hide: true } }, async () => app.swagger());
  const metrics = deps.metrics;
  if (metrics) {
    app.get(
      '/metrics',
      { config: { access: needs('/Monitoring/Metrics/Query') }, schema: { hide: true } },
      async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    );
  }
  await app.register(async (scope) => agentRoutes(scope, deps));
  for (const module of apiRouteModules) await app.register(async (scope) => module(scope, deps));
  await app.register(async (scope) => homeRoutes(scope, deps, routes));
  if (deps.webRoot) {
    const webRoot = deps.webRoot;
    await app.register(async (scope) => serveWebUi(scope, webRoot));
  }
  await app.ready();
  return { app, routes };
}
