import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { oidcFlowCookie, oidcFlowMinutes } from '../../security/oidc-flow.ts';
import { signInWithOidc } from '../../use-cases/security/oidc-sign-in.ts';
import { sessionMaxHours } from '../../use-cases/security/sign-in.ts';
import { publicAccess, sessionCookie } from '../access-control.ts';
import type { ApiDeps } from '../api-deps.ts';
import { ApiProblem } from '../problem.ts';

const flowCookiePath = '/api/session/oidc';
const callbackQuery = z.looseObject({
  code: z.string().max(4096).optional(),
  state: z.string().max(1024).optional(),
  error: z.string().max(200).optional(),
});

/** True for a browser's page navigation (it asks for HTML), false for API clients. */
function wantsPage(accept: string | undefined): boolean {
  return (accept ?? '').includes('text/html');
}

/**
 * Sign-in through the configured OIDC provider: `start` sends the browser there, `callback` takes
 * it back, opens the same session as a password sign-in and sends it to `/`.
 */
export async function oidcRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const flow = () => {
    if (!deps.oidc) throw new ApiProblem(404, 'OIDC_NOT_CONFIGURED', 'sign-in through OIDC is not configured');
    return deps.oidc;
  };

  api.get(
    '/api/session/methods',
    {
      config: { access: publicAccess },
      schema: {
        tags: ['session'],
        summary: 'How people may sign in here (the sign-in page offers OIDC only when it is configured)',
        response: { 200: z.object({ password: z.boolean(), oidc: z.boolean() }) },
      },
    },
    async () => ({ password: true, oidc: deps.oidc !== undefined }),
  );

  api.get(
    '/api/session/oidc/start',
    {
      config: { access: publicAccess },
      schema: { tags: ['session'], summary: 'Sign in through the OIDC provider (302 to it)' },
    },
    async (_request, reply) => {
      const { url, cookie } = await flow().start();
      // Lax, not Strict: the browser must send it back on the provider's top-level redirect.
      reply.setCookie(oidcFlowCookie, cookie, {
        path: flowCookiePath,
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.secureCookies ?? false,
        maxAge: oidcFlowMinutes * 60,
      });
      return reply.redirect(url, 302);
    },
  );

  api.get(
    '/api/session/oidc/callback',
    {
      config: { access: publicAccess },
      schema: {
        tags: ['session'],
        summary: "The provider's redirect back: opens a session (cookie) and sends to /",
        querystring: callbackQuery,
      },
    },
    async (request, reply) => {
      const oidc = flow();
      // The flow cookie is single-use whatever the outcome.
      reply.clearCookie(oidcFlowCookie, { path: flowCookiePath });
      const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      let secret: string;
      try {
        const identity = await oidc.finish(request.cookies[oidcFlowCookie], search);
        ({ secret } = await signInWithOidc(deps, identity, request.ip));
      } catch (error) {
        // A person's browser lands on the sign-in page, which says why; programs get the problem.
        const code = (error as { code?: unknown }).code;
        if (!wantsPage(request.headers.accept) || typeof code !== 'string') throw error;
        return reply.redirect(`/?signInError=${encodeURIComponent(code)}`, 302);
      }
      reply.setCookie(sessionCookie, secret, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: deps.secureCookies ?? false,
        maxAge: sessionMaxHours * 3600,
      });
      return reply.redirect('/', 302);
    },
  );
}
