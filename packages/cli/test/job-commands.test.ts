import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { exampleFolder, repositoryRoot, runOrdo } from './support/run-ordo.ts';

const _root = repositoryRoot;
const example = exampleFolder;

const ordo = (...args: string[]) => runOrdo(args);

it('ordo jobs run computes and generates through jobs, blocks on a threshold, resumes and lists them', () => {
  const db = join(mkdtempSync(join(tmpdir(), 'ordo-jobs-')), 'ordo.sqlite');
  expect(ordo('--db', db, 'config', 'apply', example).code).toBe(0);
  expect(ordo('--db', db, 'import', join(example, 'data.json')).code).toBe(0);

  const computed = ordo('--db', db, 'jobs', 'run', '--kind', 'task', '--task', 'compute', '--connector', 'Directory');
  expect(computed.code, computed.err).toBe(0);
  expect(computed.out).toMatch(/step 1\/1: compute \(complete\)/);
  expect(computed.out).toMatch(/job [0-9a-f-]+: completed/);

  // The example's first generation creates every account at once: beyond its thresholds.
  const generated = ordo('--db', db, 'jobs', 'run', '--kind', 'task', '--task', 'generate');
  expect(generated.code).toBe(1);
  expect(generated.out).toMatch(/job ([0-9a-f-]+): blocked \(order generation .* blocked by/);
  const id = /job ([0-9a-f-]+): blocked/.exec(generated.out)?.[1] ?? '';
  const resumed = ordo('--db', db, 'jobs', 'resume', id);
  expect(resumed.code, resumed.err).toBe(0);
  expect(resumed.out).toMatch(new RegExp(`job ${id}: completed`));

  const list = ordo('--db', db, 'jobs', 'list');
  expect(list.out.trim().split('\n')).toHaveLength(3);
  expect(ordo('--db', db, 'jobs', 'run', '--kind', 'weekly').code).toBe(1);
});
