import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWebUi } from '../../src/http/web-ui.ts';

/** The UI is a single page: the server hands out its files and index.html for every page path. */
describe('serving the web UI', () => {
  let root: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ordo-web-'));
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), '<!doctype html><title>Ordo</title><div id="root"></div>');
    await writeFile(join(root, 'assets', 'index-abc123.js'), 'console.log("ordo")');
    app = Fastify();
    app.get('/api/known', async () => ({ ok: true }));
    await app.register(async (scope) => serveWebUi(scope, root));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('answers index.html, uncached and with the page defences, for any page path', async () => {
    for (const url of ['/', '/directory/Person', '/directory/Person/abc?tab=permissions', '/orders/x%2Fy']) {
      const answer = await app.inject({ method: 'GET', url });
      expect(answer.statusCode, url).toBe(200);
      expect(answer.headers['content-type']).toMatch(/text\/html/);
      expect(answer.body).toContain('<div id="root">');
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(answer.headers['content-security-policy']).toContain("script-src 'self'");
      expect(answer.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('refuses a malformed address with 400 rather than failing', async () => {
    expect((await app.inject({ method: 'GET', url: '/bad%E0%A4' })).statusCode).toBe(400);
  });

  it('serves built assets for a year and refuses missing or climbing ones', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toMatch(/max-age=31536000.*immutable|immutable.*max-age=31536000/);
    expect((await app.inject({ method: 'GET', url: '/assets/index-old.js' })).statusCode).toBe(404);
    for (const url of ['/assets/../index.html', '/assets/%2e%2e/%2e%2e/etc/passwd', '/%2e%2e/%2e%2e/etc/passwd']) {
      const answer = await app.inject({ method: 'GET', url });
      expect(answer.body, url).not.toContain('root:');
      expect([200, 404], url).toContain(answer.statusCode);
      if (answer.statusCode === 200) expect(answer.body).toContain('<div id="root">');
    }
  });

  it('never answers the page for API, health or metrics paths', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/known' })).json()).toEqual({ ok: true });
    for (const url of ['/api/unknown', '/api/', '/health/x', '/metrics/x']) {
      const answer = await app.inject({ method: 'GET', url });
      expect(answer.statusCode, url).toBe(404);
      expect(answer.body).not.toContain('<div id="root">');
    }
  });

  it('says how to build the UI when it is not built', async () => {
    const bare = Fastify();
    await bare.register(async (scope) => serveWebUi(scope, join(root, 'missing')));
    const answer = await bare.inject({ method: 'GET', url: '/' });
    expect(answer.statusCode).toBe(503);
    expect(answer.body).toContain('npm run build:web');
    await bare.close();
  });
});
