import type { AgentPort, WorkReport } from '@ordo/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Stores } from '../storage/stores.ts';
import { agentAccess } from './access-control.ts';
import { cookieQuerySchema, leaseSchema, reportsSchema, statusSchema, uploadSchema } from './agent-schemas.ts';
import { ApiProblem, parseOrThrow } from './problem.ts';

export interface AgentRoutesDeps {
  readonly stores: Pick<Stores, 'agentTokens'>;
  /** The agent service of one agent: only that agent's connectors are reachable through it. */
  readonly agentService: (agent: string) => AgentPort;
}

/**
 * The agent protocol over HTTP (`/api/agent`): an agent authenticates with its bearer token, and
 * every call is served by the agent service of the agent the token belongs to, so an agent can
 * never lease or report the orders of another agent's connectors.
 */
export async function agentRoutes(app: FastifyInstance, deps: AgentRoutesDeps): Promise<void> {
  const serviceOf = async (request: FastifyRequest): Promise<AgentPort> => {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const agent = token ? await deps.stores.agentTokens.agentOf(token) : undefined;
    if (!agent)
      throw new ApiProblem(401, 'AGENT_UNAUTHENTICATED', 'a valid agent token is required (Authorization: Bearer …)');
    return deps.agentService(agent);
  };

  app.get(
    '/api/agent/configuration',
    {
      config: { access: agentAccess },
      schema: {
        tags: ['agent'],
        summary: 'The connectors this agent serves, with their settings (secrets stay env:/file: references)',
      },
    },
    async (request) => (await serviceOf(request)).configuration(),
  );

  app.post(
    '/api/agent/lease',
    {
      config: { access: agentAccess },
      schema: { tags: ['agent'], summary: "Lease due orders of the agent's connectors (long poll)" },
    },
    async (request) => {
      const service = await serviceOf(request);
      const body = parseOrThrow(leaseSchema, request.body, 'the lease request');
      return { items: await service.lease(body) };
    },
  );

  app.post(
    '/api/agent/reports',
    {
      config: { access: agentAccess },
      schema: { tags: ['agent'], summary: 'Report results of leased orders (only the current lease holder is heard)' },
    },
    async (request) => {
      const service = await serviceOf(request);
      const body = parseOrThrow(reportsSchema, request.body, 'the reports');
      return { verdicts: await service.report(body.reports as WorkReport[]) };
    },
  );

  app.post(
    '/api/agent/status',
    {
      config: { access: agentAccess },
      schema: { tags: ['agent'], summary: "The agent's breakers and queue, for metrics and the connectors page" },
    },
    async (request, reply) => {
      const service = await serviceOf(request);
      await service.status(parseOrThrow(statusSchema, request.body, 'the status'));
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/agent/exports/requests',
    { config: { access: agentAccess }, schema: { tags: ['agent'], summary: 'Exports jobs are waiting for' } },
    async (request) => {
      const service = await serviceOf(request);
      return { items: (await service.exportRequests?.()) ?? [] };
    },
  );

  app.get(
    '/api/agent/exports/cookie',
    {
      config: { access: agentAccess },
      schema: { tags: ['agent'], summary: 'Where the last incremental export of a connection stopped' },
    },
    async (request) => {
      const service = await serviceOf(request);
      const query = parseOrThrow(cookieQuerySchema, request.query, 'the query');
      return { cookie: await service.exportCookie(query.connection, query.entityType) };
    },
  );

  app.post(
    '/api/agent/exports',
    {
      bodyLimit: 512 * 1024 * 1024,
      config: { access: agentAccess },
      schema: { tags: ['agent'], summary: 'Upload an export for synchronization' },
    },
    async (request) => {
      const service = await serviceOf(request);
      const body = parseOrThrow(uploadSchema, request.body, 'the export');
      return service.upload(body);
    },
  );
}
