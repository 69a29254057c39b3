import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../src/cel/compile-expression.ts';
import type { ExpressionVariables } from '../../src/expression.ts';

const location = { file: 'f.yaml', line: 1, column: 1, path: 'x' };
const scope = {
  identity: { entityType: 'Person', fields: { name: 'string', tags: 'list<string>', start: 'string' } },
} as const;

function run(source: string, variables: ExpressionVariables = {}): unknown {
  const result = compileExpression(source, location, scope);
  if (!result.ok) throw new Error(result.message);
  return result.expression.evaluate(variables);
}

describe('CEL function library', () => {
  it('lower / upper', () => {
    expect(run('lower("ÉLODIE Dupont")')).toBe('élodie dupont');
    expect(run('upper("élodie")')).toBe('ÉLODIE');
  });

  it('removeDiacritics', () => {
    expect(run('removeDiacritics("Éloïse Straße Øre Łódź")')).toBe('Eloise Strasse Ore Lodz');
  });

  it('simplify', () => {
    expect(run('simplify("Jean-Éric O\'Brien 2")')).toBe('jeanericobrien2');
  });

  it('join skips empty items; split', () => {
    expect(run('join(identity.tags, ",")', { identity: { tags: ['a', '', 'b'] } })).toBe('a,b');
    expect(run('split("a.b.c", ".")')).toEqual(['a', 'b', 'c']);
  });

  it('substring with and without end', () => {
    expect(run('substring("Dupont", 2)')).toBe('pont');
    expect(run('substring("Dupont", 0, 1)')).toBe('D');
    expect(run('substring("Du", 0, 5)')).toBe('Du');
  });

  it('coalesce with 2 to 5 arguments skips null and empty values', () => {
    expect(run('coalesce(identity.name, "x")', { identity: { name: null } })).toBe('x');
    expect(run('coalesce(identity.name, "", "y")', { identity: {} })).toBe('y');
    expect(run('coalesce(identity.name, "", "", "", "z")', { identity: { name: '' } })).toBe('z');
    expect(run('coalesce(identity.name, "x")', { identity: { name: 'n' } })).toBe('n');
    expect(run('coalesce(identity.name, "")', { identity: {} })).toBeNull();
  });

  it('formatDate', () => {
    expect(run('formatDate("2024-03-05T07:09:00Z", "dd/MM/yyyy HH:mm")')).toBe('05/03/2024 07:09');
    expect(run('formatDate(identity.start, "yyyyMMdd")', { identity: { start: '2024-12-31' } })).toBe('20241231');
    expect(run('formatDate(identity.start, "yyyy")', { identity: { start: null } })).toBeNull();
  });

  it('unique returns the first value not taken', () => {
    const existing = new Set(['jdoe', 'jdoe2']);
    const taken = (value: string) => existing.has(value);
    expect(run('unique("jdoe")', { taken })).toBe('jdoe3');
    expect(run('unique("asmith")', { taken })).toBe('asmith');
    expect(run('unique("jdoe")')).toBe('jdoe');
    // The slot is cleared after the evaluation: a later evaluation without `taken` is not affected.
    expect(run('unique("jdoe")', {})).toBe('jdoe');
  });

  it('unique keeps the value an owner already has while it is a free form of the candidate', () => {
    const taken = (value: string) => value === 'jdoe3';
    // jdoe is free again, but the owner keeps jdoe2: a login does not change under someone's feet.
    expect(run('unique("jdoe")', { taken, kept: 'jdoe2' })).toBe('jdoe2');
    // A kept value someone else now holds, or one of another candidate, is not kept.
    expect(run('unique("jdoe")', { taken, kept: 'jdoe3' })).toBe('jdoe');
    expect(run('unique("jdoe")', { taken, kept: 'asmith' })).toBe('jdoe');
    expect(run('unique("jdoe")', { taken, kept: 'jdoe1' })).toBe('jdoe');
    expect(run('unique("jdoe")', { taken, kept: 'jdoex' })).toBe('jdoe');
  });
});
