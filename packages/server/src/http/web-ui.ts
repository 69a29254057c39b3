import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { publicAccess } from './access-control.ts';

/** Paths that belong to the API and the agents: an unknown one is a 404 problem, never the UI page. */
const apiPrefixes = ['/api/', '/health', '/metrics'];

/**
 * The browser's defences for the UI page: scripts and styles only from this origin (Mantine sets
 * inline style attributes, hence 'unsafe-inline' for styles only), never framed (clickjacking on
 * review buttons), no referrer leaking identity ids to other sites.
 */
const pageHeaders = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/**
 * Serves the built web UI (packages/web/dist) at `/`: files as they are, and index.html for every
 * other page path, since the UI routes in the browser. Built assets carry a content hash in their
 * name, so they are cached for a year; index.html is never cached, so a new build is seen at once.
 * When the UI is not built, `/` says how to build it rather than answering a bare 404.
 */
export async function serveWebUi(app: FastifyInstance, root: string): Promise<void> {
  const built = existsSync(join(root, 'index.html'));
  if (built) await app.register(fastifyStatic, { root, serve: false, index: false });
  app.get('/*', { config: { access: publicAccess }, schema: { hide: true } }, async (request, reply) => {
    const path = decodedPath(request.url);
    if (apiPrefixes.some((p) => path === p.replace(/\/$/, '') || path.startsWith(p))) {
      return reply.callNotFound();
    }
    if (!built) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The web UI is not built. Run `npm run build:web` (npm run demo does it for you), then reload.');
    }
    reply.headers(pageHeaders);
    const file = path.slice(1);
    if (file.startsWith('assets/')) {
      // A missing asset is an old page asking for a previous build's file: 404, not the page.
      if (file.includes('..') || !existsSync(join(root, file))) return reply.callNotFound();
      return reply.sendFile(file, { immutable: true, maxAge: '365d' });
    }
    if (/^[\w.-]+\.(svg|png|ico|txt)$/.test(file) && existsSync(join(root, file))) return reply.sendFile(file);
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  });
}

/** The URL's path, decoded; a malformed escape is kept as typed (it then matches no file). */
function decodedPath(url: string): string {
  const raw = url.split('?')[0] ?? '/';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
