import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../use-cases/security/resolve-principal.ts';
import { sessionMaxHours, signInWithPassword } from '../../use-cases/security/sign-in.ts';
import { publicAccess, sessionCookie, signedIn } from '../access-control.ts';
import type { ApiDeps } from '../api-deps.ts';
import { ApiProblem } from '../problem.ts';

const signInBody = z.strictObject({
  login: z.string().min(1).max(200),
  password: z.string().min(1).max(1024),
});

const sessionAnswer = z.object({
  login: z.string(),
  displayName: z.string(),
  identityId: z.string().nullable(),
  profiles: z.array(z.string()),
  permissions: z.array(z.string()),
  /** Send it back in the x-csrf-token header of every request that changes something. */
  csrfToken: z.string(),
});

/** Sign-in, who am I, sign-out. */
export async function sessionRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const setCookie = (reply: FastifyReply, value: string, maxAgeSeconds: number) =>
    reply.setCookie(sessionCookie, value, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.secureCookies ?? false,
      maxAge: maxAgeSeconds,
    });

  api.post(
    '/api/session',
    {
      config: { access: publicAccess },
      schema: {
        tags: ['session'],
        summary: 'Sign in with a local account',
        body: signInBody,
        response: { 200: sessionAnswer },
      },
    },
    async (request, reply) => {
      const { secret, session } = await signInWithPassword(deps, {
        login: request.body.login,
        password: request.body.password,
        clientAddress: request.ip,
      });
      setCookie(reply, secret, sessionMaxHours * 3600);
      const account = await deps.stores.accounts.get(session.accountId);
      if (!account) throw new ApiProblem(401, 'UNAUTHENTICATED', 'the account is gone');
      const principal = principalOf((await deps.models.current()).model, account, 'session');
      return { ...describePrincipal(principal), csrfToken: session.csrfToken };
    },
  );

  api.get(
    '/api/session',
    {
      config: { access: signedIn },
      schema: { tags: ['session'], summary: 'Who is signed in, with the CSRF token', response: { 200: sessionAnswer } },
    },
    async (request) => {
      const principal = request.principal;
      if (!principal) throw new ApiProblem(401, 'UNAUTHENTICATED', 'sign in first');
      const secret = request.cookies[sessionCookie];
      const session = secret ? await deps.stores.sessions.find(secret, deps.clock.now()) : undefined;
      return { ...describePrincipal(principal), csrfToken: session?.csrfToken ?? '' };
    },
  );

  api.delete(
    '/api/session',
    { config: { access: signedIn }, schema: { tags: ['session'], summary: 'Sign out' } },
    async (request, reply) => {
      const secret = request.cookies[sessionCookie];
      if (secret) await deps.stores.sessions.delete(secret);
      if (request.principal) {
        await deps.stores.audit.record({
          at: deps.clock.now(),
          actor: request.principal.actor,
          action: 'session.signed_out',
          targetKind: 'account',
          targetId: request.principal.accountId,
        });
      }
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.status(204).send();
    },
  );
}

function describePrincipal(p: {
  login: string;
  displayName: string;
  identityId: string | null;
  profiles: readonly string[];
  permissions: readonly string[];
}) {
  return {
    login: p.login,
    displayName: p.displayName,
    identityId: p.identityId,
    profiles: [...p.profiles],
    permissions: [...p.permissions],
  };
}
