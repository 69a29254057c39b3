import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createAgentToken, listAgents, listConnectors, revokeAgentToken } from '../../use-cases/connectors-overview.ts';
import { needs } from '../access-control.ts';
import type { ApiDeps } from '../api-deps.ts';
import { ApiProblem } from '../problem.ts';

const breaker = z.object({ state: z.enum(['closed', 'open', 'half_open']), reason: z.string().nullable() });
const connector = z.object({
  id: z.string(),
  displayName: z.string(),
  agent: z.string(),
  entityTypes: z.array(z.string()),
  connections: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      disabled: z.enum(['none', 'export', 'fulfil']),
      settingNames: z.array(z.string()),
    }),
  ),
  breaker: breaker.nullable(),
  queueDepth: z.number(),
  oldestPendingAgeSeconds: z.number().nullable(),
  ordersByState: z.record(z.string(), z.number()),
  agentLastSeenAt: z.string().nullable(),
});
const agentToken = z.object({
  id: z.string(),
  agent: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
const agent = z.object({
  agent: z.string(),
  connectors: z.array(z.string()),
  lastStatus: z.object({ at: z.string(), inFlight: z.number(), breakers: z.record(z.string(), breaker) }).nullable(),
  liveTokens: z.number(),
  tokens: z.array(agentToken),
});
const agentParams = z.strictObject({ agent: z.string().min(1).max(200) });
const agentTokenParams = z.strictObject({ agent: z.string().min(1).max(200), id: z.string().min(1).max(200) });

const actorOf = (request: FastifyRequest) => {
  if (!request.principal) throw new ApiProblem(401, 'UNAUTHENTICATED', 'sign in first');
  return request.principal.actor;
};

/** Connectors and agents at a glance, and agent tokens. Settings values and secrets never leave the server. */
export async function connectorRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const model = async () => (await deps.models.current()).model;

  api.get(
    '/api/connectors',
    {
      config: { access: needs('/Connectors/Connector/Query') },
      schema: {
        tags: ['connectors'],
        summary: 'Connectors with queue depth, oldest pending age, orders by state and breakers',
        response: { 200: z.array(connector) },
      },
    },
    async () => listConnectors(deps, await model()),
  );

  api.get(
    '/api/agents',
    {
      config: { access: needs('/Connectors/Connector/Query') },
      schema: {
        tags: ['connectors'],
        summary: 'Agents with their last status and tokens',
        response: { 200: z.array(agent) },
      },
    },
    async () => listAgents(deps, await model()),
  );

  api.post(
    '/api/agents/:agent/tokens',
    {
      config: { access: needs('/Connectors/AgentToken/Create') },
      schema: {
        tags: ['connectors'],
        summary: 'Create a token for an agent (shown once)',
        params: agentParams,
        response: { 201: agentToken.extend({ token: z.string() }) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createAgentToken(deps, await model(), actorOf(request), request.params.agent)),
  );

  api.delete(
    '/api/agents/:agent/tokens/:id',
    {
      config: { access: needs('/Connectors/AgentToken/Revoke') },
      schema: {
        tags: ['connectors'],
        summary: "Revoke an agent's token",
        params: agentTokenParams,
        response: { 200: agentToken },
      },
    },
    async (request) => revokeAgentToken(deps, actorOf(request), request.params.agent, request.params.id),
  );
}
