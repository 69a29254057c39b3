import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, startApiFixture } from './api-fixture.ts';
import { routeKey } from './route-samples.ts';

const hidden = new Set(['GET /health', 'GET /api/openapi.json', 'GET /metrics']);

describe('the OpenAPI document at /api/openapi.json', () => {
  let fixture: ApiFixture;
  let document: {
    openapi: string;
    paths: Record<string, Record<string, { tags?: string[]; summary?: string; parameters?: unknown[] }>>;
  };
  beforeAll(async () => {
    fixture = await startApiFixture({ generate: false });
    const answer = await fixture.anonymous('GET', '/api/openapi.json');
    expect(answer.statusCode).toBe(200);
    document = answer.json();
  });
  afterAll(() => fixture.close());

  it('is OpenAPI 3 and describes every route of the app, and nothing else', () => {
    expect(document.openapi).toMatch(/^3\./);
    const described = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const routes = fixture.runtime.routes.map(routeKey).filter((key) => !hidden.has(key));
    expect(described.sort()).toEqual([...new Set(routes)].sort());
  });

  it('gives every operation a tag, and every people-facing operation a summary', () => {
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        expect(operation.tags?.length, `${method} ${path} has no tag`).toBeGreaterThan(0);
        if (!path.startsWith('/api/agent/')) expect(operation.summary, `${method} ${path} has no summary`).toBeTruthy();
      }
    }
  });

  it('declares path parameters for every templated path', () => {
    for (const [path, methods] of Object.entries(document.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(methods)) {
        const declared = (operation.parameters ?? []) as { in: string; name: string }[];
        for (const name of names) {
          expect(
            declared.some((p) => p.in === 'path' && p.name === name),
            `${method} ${path} lacks ${name}`,
          ).toBe(true);
        }
      }
    }
  });
});
