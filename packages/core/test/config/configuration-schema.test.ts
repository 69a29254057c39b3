import { describe, expect, it } from 'vitest';
import { configurationJsonSchema } from '../../src/config/configuration-schema.ts';
import { fileSystem, repositoryPath } from './read-folder.ts';

const target = 'docs/configuration-schema.json';

describe('configurationJsonSchema', () => {
  it('describes every section and refuses unknown fields', () => {
    const schema = configurationJsonSchema() as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    expect(Object.keys(schema.properties).sort()).toEqual(
      ['categories', 'compositeRoles', 'connectors', 'entityTypes', 'profiles', 'resourceTypes', 'singleRoles'].sort(),
    );
    expect(schema.additionalProperties).toBe(false);
  });

  it(`is committed up to date in ${target} (run with ORDO_WRITE_SCHEMA=1 to regenerate)`, async () => {
    const fs = await fileSystem();
    const path = repositoryPath(target);
    const expected = `${JSON.stringify(configurationJsonSchema(), null, 2)}\n`;
    const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
    if (env.ORDO_WRITE_SCHEMA === '1') fs.writeFileSync(path, expected);
    expect(
      fs.existsSync(path),
      `${target} is missing: run ORDO_WRITE_SCHEMA=1 npx vitest run ${'packages/core/test/config'}`,
    ).toBe(true);
    expect(
      fs.readFileSync(path, 'utf8'),
      `${target} is stale: run ORDO_WRITE_SCHEMA=1 npx vitest run packages/core/test/config`,
    ).toBe(expected);
  });
});
