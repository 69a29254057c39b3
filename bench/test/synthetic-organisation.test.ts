import { compileConfiguration } from '@ordo/core';
import { describe, expect, it } from 'vitest';
import { groupResources, person, syntheticConfiguration } from '../synthetic-organisation.ts';

describe('syntheticConfiguration', () => {
  const files = Object.entries(syntheticConfiguration()).map(([path, text]) => ({ path, text }));
  const compiled = compileConfiguration(files);

  it('compiles without problems and has the sizes the issue asks for', () => {
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems, null, 2));
    expect(Object.keys(compiled.model.singleRoles)).toHaveLength(50);
    expect(Object.keys(compiled.model.compositeRoles)).toHaveLength(10);
    expect(Object.keys(compiled.model.resourceTypes)).toHaveLength(5);
    expect(compiled.model.rules.navigations).toHaveLength(50);
    expect(compiled.model.rules.scalars.filter((r) => r.expression.source.includes('unique('))).toHaveLength(5);
  });

  it('has a group resource for the value of every navigation rule, so that they resolve', () => {
    if (!compiled.ok) throw new Error('configuration does not compile');
    const groups = new Set(groupResources().map((g) => `${g.entityType}\u0000${g.key}`));
    for (const rule of compiled.model.rules.navigations) {
      const target = compiled.model.resourceTypes[rule.resourceType]?.targetEntityType ?? '';
      const property = compiled.model.entityTypes[target]?.properties[rule.property];
      expect(property?.kind).toBe('navigation');
      const groupType = property?.kind === 'navigation' ? property.target : '';
      expect(groups.has(`${groupType}\u0000${rule.value}`), `${groupType} ${rule.value}`).toBe(true);
    }
  });
});

describe('person', () => {
  it('is deterministic and differs from one index to the next', () => {
    expect(person(42)).toEqual(person(42));
    expect(person(42).values).not.toEqual(person(43).values);
    expect(person(0).key).toBe('E0000001');
  });
});
