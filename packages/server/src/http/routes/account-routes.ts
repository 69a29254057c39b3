import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal } from '../../security/principal.ts';
import { createAccount, listAccounts, updateAccount } from '../../use-cases/security/manage-accounts.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../../use-cases/security/manage-api-tokens.ts';
import { needs, signedIn } from '../access-control.ts';
import type { ApiDeps } from '../api-deps.ts';
import { ApiProblem } from '../problem.ts';

const login = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w.@+-]+$/, 'letters, digits and . _ @ + - only');
const profiles = z.array(z.string().min(1).max(200)).max(50);

const account = z.object({
  id: z.string(),
  login: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  identityId: z.string().nullable(),
  profiles: z.array(z.string()),
  oidcLinked: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const newAccount = z.strictObject({
  login,
  displayName: z.string().min(1).max(200),
  email: z.email().max(320).nullable().optional(),
  identityKey: z.string().min(1).max(200).nullable().optional(),
  profiles,
  /** At least 12 characters; omit it for an account that signs in only through OIDC. */
  password: z.string().max(1024).nullable().optional(),
});

const accountChange = z.strictObject({
  displayName: z.string().min(1).max(200).optional(),
  email: z.email().max(320).nullable().optional(),
  identityKey: z.string().min(1).max(200).nullable().optional(),
  profiles: profiles.optional(),
  disabled: z.boolean().optional(),
  password: z.string().max(1024).optional(),
});

const token = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
/** The value is in this answer only: it is stored as a hash. */
const createdToken = token.extend({ token: z.string() });
const newToken = z.strictObject({
  name: z.string().min(1).max(200),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
const accountParams = z.strictObject({ id: z.string().min(1).max(200) });
const tokenParams = z.strictObject({ id: z.string().min(1).max(200) });
const accountTokenParams = z.strictObject({ id: z.string().min(1).max(200), tokenId: z.string().min(1).max(200) });

function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ApiProblem(401, 'UNAUTHENTICATED', 'sign in first');
  return request.principal;
}

const normalizedExpiry = (value: string | null | undefined) => (value ? new Date(value).toISOString() : null);

/** Accounts (administrators) and API tokens (everyone their own; administrators anyone's). */
export async function accountRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const model = async () => (await deps.models.current()).model;

  api.get(
    '/api/accounts',
    {
      config: { access: needs('/Administration/Account/Query') },
      schema: {
        tags: ['accounts'],
        summary: 'Every account (never a password hash)',
        response: { 200: z.array(account) },
      },
    },
    async () => listAccounts(deps),
  );

  api.post(
    '/api/accounts',
    {
      config: { access: needs('/Administration/Account/Create') },
      schema: { tags: ['accounts'], summary: 'Create an account', body: newAccount, response: { 201: account } },
    },
    async (request, reply) => {
      const created = await createAccount(deps, await model(), principalOf(request).actor, request.body);
      return reply.status(201).send(created);
    },
  );

  api.patch(
    '/api/accounts/:id',
    {
      config: { access: needs('/Administration/Account/Update') },
      schema: {
        tags: ['accounts'],
        summary: 'Change profiles, identity, disable (ends its sessions), reset the password',
        params: accountParams,
        body: accountChange,
        response: { 200: account },
      },
    },
    async (request) => updateAccount(deps, await model(), principalOf(request), request.params.id, request.body),
  );

  api.get(
    '/api/accounts/:id/tokens',
    {
      config: { access: needs('/Administration/Account/Query') },
      schema: {
        tags: ['accounts'],
        summary: "An account's API tokens",
        params: accountParams,
        response: { 200: z.array(token) },
      },
    },
    async (request) => listApiTokens(deps, request.params.id),
  );

  api.post(
    '/api/accounts/:id/tokens',
    {
      config: { access: needs('/Administration/ApiToken/Create') },
      schema: {
        tags: ['accounts'],
        summary: 'Create an API token acting as another account (shown once)',
        params: accountParams,
        body: newToken,
        response: { 201: createdToken },
      },
    },
    async (request, reply) => {
      const created = await createApiToken(deps, principalOf(request).actor, {
        accountId: request.params.id,
        name: request.body.name,
        expiresAt: normalizedExpiry(request.body.expiresAt),
      });
      return reply.status(201).send(created);
    },
  );

  api.delete(
    '/api/accounts/:id/tokens/:tokenId',
    {
      config: { access: needs('/Administration/ApiToken/Revoke') },
      schema: {
        tags: ['accounts'],
        summary: "Revoke another account's API token",
        params: accountTokenParams,
        response: { 200: token },
      },
    },
    async (request) =>
      revokeApiToken(deps, principalOf(request).actor, {
        accountId: request.params.id,
        tokenId: request.params.tokenId,
      }),
  );

  api.get(
    '/api/tokens',
    {
      config: { access: signedIn },
      schema: { tags: ['tokens'], summary: 'My API tokens', response: { 200: z.array(token) } },
    },
    async (request) => listApiTokens(deps, principalOf(request).accountId),
  );

  api.post(
    '/api/tokens',
    {
      config: { access: signedIn },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token acting as me (shown once; from a signed-in session only)',
        body: newToken,
        response: { 201: createdToken },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      // A leaked token must not be able to mint more tokens that outlive its revocation.
      if (principal.via !== 'session') {
        throw new ApiProblem(403, 'SESSION_REQUIRED', 'API tokens are created from a signed-in session only');
      }
      const created = await createApiToken(deps, principal.actor, {
        accountId: principal.accountId,
        name: request.body.name,
        expiresAt: normalizedExpiry(request.body.expiresAt),
      });
      return reply.status(201).send(created);
    },
  );

  api.delete(
    '/api/tokens/:id',
    {
      config: { access: signedIn },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke one of my API tokens',
        params: tokenParams,
        response: { 200: token },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return revokeApiToken(deps, principal.actor, { accountId: principal.accountId, tokenId: request.params.id });
    },
  );
}
