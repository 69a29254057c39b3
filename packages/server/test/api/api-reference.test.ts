import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderApiReference } from '../../src/http/render-api-reference.ts';
import { type ApiFixture, startApiFixture } from './api-fixture.ts';

const target = join(import.meta.dirname, '../../../../docs/api.md');

describe('docs/api.md', () => {
  let fixture: ApiFixture;
  beforeAll(async () => {
    fixture = await startApiFixture({ generate: false });
  });
  afterAll(() => fixture.close());

  it('is committed up to date with the route table (ORDO_WRITE_DOCS=1 regenerates it)', async () => {
    const document = (await fixture.anonymous('GET', '/api/openapi.json')).json();
    const expected = renderApiReference(fixture.runtime.routes, document);
    if (process.env.ORDO_WRITE_DOCS === '1') writeFileSync(target, expected);
    expect(existsSync(target), 'docs/api.md is missing: run with ORDO_WRITE_DOCS=1').toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(expected);
  });
});
