import type {} from '@fastify/cookie';
import { grants, permissionFor } from '@ordo/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.ts';
import type { Principal } from '../security/principal.ts';
import type { Stores } from '../storage/stores.ts';
import type { AppliedModelCache } from '../use-cases/applied-model-cache.ts';
import { principalOf } from '../use-cases/security/resolve-principal.ts';
import { idleExpiry } from '../use-cases/security/sign-in.ts';
import { ApiProblem } from './problem.ts';

/**
 * Who may call a route. Every route declares one in `config.access`; a route without one makes
 * the app refuse to start, so no endpoint can be added unguarded.
 * - `public`: anyone (sign-in, health, the OpenAPI document);
 * - `agent`: an agent's bearer token, checked by the agent routes themselves;
 * - `signed_in`: any signed-in person or API token;
 * - `permission`: a permission path, whose `{param}` placeholders are filled from the route's
 *   path parameters (e.g. `/Custom/ProvisioningPolicy/ReviewProvisioning/{entityType}`).
 */
export type RouteAccess =
  | { readonly kind: 'public' }
  | { readonly kind: 'agent' }
  | { readonly kind: 'signed_in' }
  | { readonly kind: 'permission'; readonly permission: string };

export const publicAccess: RouteAccess = { kind: 'public' };
export const agentAccess: RouteAccess = { kind: 'agent' };
export const signedIn: RouteAccess = { kind: 'signed_in' };
export const needs = (permission: string): RouteAccess => ({ kind: 'permission', permission });

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** Set for every route that is neither public nor agent. */
    principal: Principal | null;
  }
}

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess;
}

export const sessionCookie = 'ordo_session';
export const csrfHeader = 'x-csrf-token';
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AccessControlDeps {
  readonly stores: Pick<Stores, 'accounts' | 'sessions' | 'apiTokens'>;
  readonly clock: Clock;
  readonly models: Pick<AppliedModelCache, 'current'>;
}

/**
 * Installs authentication and authorization on every route, and returns the route table it
 * builds (the authorization matrix test walks it). Must be installed before routes are added.
 */
export function installAccessControl(app: FastifyInstance, deps: AccessControlDeps): RouteEntry[] {
  const table: RouteEntry[] = [];
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    if (!access) throw new Error(`route ${methods.join(',')} ${route.url} declares no access rule (config.access)`);
    for (const method of methods) table.push({ method, url: route.url, access });
  });
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access || access.kind === 'public' || access.kind === 'agent') return;
    const principal = await authenticate(deps, request);
    if (principal.via === 'session' && !safeMethods.has(request.method)) {
      // Double defence against cross-site requests: SameSite=Strict cookies, and a token only
      // the page itself can read (from the sign-in answer or GET /api/session).
      if (request.headers[csrfHeader] !== principal.csrfToken) {
        throw new ApiProblem(403, 'CSRF_TOKEN_INVALID', `a ${csrfHeader} header with the session's token is required`);
      }
    }
    if (access.kind === 'permission') {
      const permission = permissionFor(access.permission, request.params as Record<string, string>);
      if (permission === undefined) throw new ApiProblem(404, 'NOT_FOUND', 'no such resource');
      if (!grants(principal.permissions, permission)) {
        throw new ApiProblem(403, 'FORBIDDEN', `this needs the permission ${permission}`);
      }
    }
    request.principal = principal.principal;
  });
  return table;
}

/**
 * Whether `permissions` may call `GET url` (a route of `table`) with these path parameters: the
 * same rule `onRequest` applies, so a screen offered on this answer is one the server serves.
 */
export function mayCallRoute(
  table: readonly RouteEntry[],
  permissions: readonly string[],
  url: string,
  params: Readonly<Record<string, string>>,
): boolean {
  const access = table.find((r) => r.method === 'GET' && r.url === url)?.access;
  if (!access || access.kind === 'public' || access.kind === 'agent') return false;
  if (access.kind === 'signed_in') return true;
  const permission = permissionFor(access.permission, params);
  return permission !== undefined && grants(permissions, permission);
}

async function authenticate(
  deps: AccessControlDeps,
  request: FastifyRequest,
): Promise<{ principal: Principal; permissions: readonly string[]; via: Principal['via']; csrfToken?: string }> {
  const now = deps.clock.now();
  const header = request.headers.authorization ?? '';
  if (header.startsWith('Bearer ')) {
    const token = await deps.stores.apiTokens.find(header.slice(7).trim(), now);
    const account = token && (await deps.stores.accounts.get(token.accountId));
    if (!token || !account || account.disabled) {
      throw new ApiProblem(401, 'UNAUTHENTICATED', 'the API token is unknown, revoked or expired');
    }
    if (token.lastUsedAt === null || Date.parse(now) - Date.parse(token.lastUsedAt) > 60_000) {
      await deps.stores.apiTokens.markUsed(token.id, now);
    }
    const principal = principalOf((await deps.models.current()).model, account, 'token', token.name);
    return { principal, permissions: principal.permissions, via: 'token' };
  }
  const secret = request.cookies?.[sessionCookie];
  const session = secret ? await deps.stores.sessions.find(secret, now) : undefined;
  const account = session && (await deps.stores.accounts.get(session.accountId));
  if (!secret || !session || !account || account.disabled) {
    throw new ApiProblem(401, 'UNAUTHENTICATED', 'sign in first (POST /api/session), or send an API token');
  }
  // Sliding expiry, written at most once a minute so that reads stay reads.
  if (Date.parse(now) - Date.parse(session.lastSeenAt) > 60_000) {
    await deps.stores.sessions.touch(secret, now, idleExpiry(session.createdAt, now));
  }
  const principal = principalOf((await deps.models.current()).model, account, 'session');
  return { principal, permissions: principal.permissions, via: 'session', csrfToken: session.csrfToken };
}
