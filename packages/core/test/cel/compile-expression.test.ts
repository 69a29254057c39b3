import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../src/cel/compile-expression.ts';
import type { ExpressionScope } from '../../src/cel/expression-scope.ts';
import { type Expression, ExpressionError, type ExpressionVariables } from '../../src/expression.ts';

const location = { file: 'rules.yaml', line: 12, column: 7, path: 'resourceTypes.LdapAccount.scalars[0].expression' };

const scope: ExpressionScope = {
  identity: {
    entityType: 'Person',
    fields: {
      firstName: 'string',
      lastName: 'string',
      nickname: 'string',
      age: 'int',
      active: 'bool',
      contractStart: 'string',
      manager: 'string',
      groups: 'list<string>',
    },
  },
  resource: { entityType: 'LdapAccount', fields: { uid: 'string', employeeNumber: 'string' } },
};

function compile(source: string, over: ExpressionScope = scope): Expression {
  const result = compileExpression(source, location, over);
  if (!result.ok) throw new Error(result.message);
  return result.expression;
}

function failure(source: string, over: ExpressionScope = scope): string {
  const result = compileExpression(source, location, over);
  if (result.ok) throw new Error(`expected "${source}" to be refused`);
  return result.message;
}

const run = (source: string, variables: ExpressionVariables) => compile(source).evaluate(variables);

describe('compileExpression: check time', () => {
  it('refuses an unknown property and lists the known ones', () => {
    const message = failure('lower(identity.firstNmae)');
    expect(message).toContain('identity (Person) has no property "firstNmae"');
    expect(message).toContain('known: firstName, lastName');
    expect(message).toContain('at character 16');
  });

  it('refuses an unknown property on resource', () => {
    expect(failure('resource.mail == "x"')).toContain('resource (LdapAccount) has no property "mail"');
  });

  it('refuses type errors', () => {
    expect(failure('identity.firstName + 1')).toContain('no such overload: string + int');
    expect(failure('lower(identity.age)')).toContain('lower(int)');
    expect(failure('coalesce(identity.firstName, 1)')).toContain('coalesce(string, int)');
  });

  it('refuses a variable the scope does not declare', () => {
    const message = failure('identity.firstName', { resource: scope.resource! });
    expect(message).toContain('unknown variable "identity"');
    expect(message).toContain('may use resource, assignment, now');
  });

  it('refuses syntax errors and unknown functions', () => {
    expect(failure('identity.firstName +')).toMatch(/Unexpected token/);
    expect(failure('shout(identity.firstName)')).toContain('shout');
  });

  it('reports the result type', () => {
    const result = compileExpression('identity.age > 18', location, scope);
    expect(result.ok && result.type).toBe('bool');
    const text = compileExpression('lower(identity.firstName)', location, scope);
    expect(text.ok && text.type).toBe('string');
  });

  it('accepts null tests on typed properties', () => {
    expect(compileExpression('identity.nickname != null', location, scope).ok).toBe(true);
    expect(compileExpression('null == identity.age', location, scope).ok).toBe(true);
  });
});

describe('compileExpression: run time', () => {
  const person = {
    firstName: 'Élodie',
    lastName: 'Dupont-Smith',
    nickname: null,
    age: 34,
    active: true,
    contractStart: '2024-03-01',
    manager: 'E042',
    groups: ['staff', 'paris'],
  };

  it('evaluates and returns plain JavaScript values', () => {
    expect(run('identity.age + 1', { identity: person })).toBe(35);
    expect(run('[identity.age, 2]', { identity: person })).toEqual([34, 2]);
    expect(run('"paris" in identity.groups', { identity: person })).toBe(true);
    expect(run('identity.manager', { identity: person })).toBe('E042');
  });

  it('treats a missing or null property as null', () => {
    expect(run('identity.nickname == null', { identity: person })).toBe(true);
    expect(run('identity.nickname == null', { identity: { firstName: 'A' } })).toBe(true);
    expect(run('coalesce(lower(identity.nickname), lower(identity.firstName))', { identity: person })).toBe('élodie');
    expect(run('lower(identity.nickname)', { identity: person })).toBeNull();
  });

  it('wraps a run-time failure in ExpressionError with the location', () => {
    const expression = compile('identity.nickname + "x"');
    try {
      expression.evaluate({ identity: person });
      expect.fail('should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(ExpressionError);
      const e = error as ExpressionError;
      expect(e.code).toBe('EXPRESSION_FAILED');
      expect(e.location).toEqual(location);
      expect(e.message).toContain('rules.yaml:12 resourceTypes.LdapAccount.scalars[0].expression');
    }
    expect(() => compile('formatDate(identity.firstName, "yyyy")').evaluate({ identity: person })).toThrow(
      /not an ISO-8601 date/,
    );
  });

  it('exposes assignment dates and now', () => {
    const expression = compile('assignment.end == null ? now : assignment.end');
    expect(expression.evaluate({ assignment: { start: '2024-01-01', end: null }, now: '2024-06-01T00:00:00Z' })).toBe(
      '2024-06-01T00:00:00Z',
    );
    expect(expression.evaluate({ assignment: { start: '2024-01-01', end: '2024-12-31' } })).toBe('2024-12-31');
  });

  it('uses identity and resource together (correlation-like)', () => {
    const expression = compile('resource.employeeNumber == identity.manager');
    expect(expression.evaluate({ identity: person, resource: { uid: 'x', employeeNumber: 'E042' } })).toBe(true);
    expect(expression.evaluate({ identity: person, resource: { uid: 'x', employeeNumber: 'E1' } })).toBe(false);
  });

  it('does not mix up views when identity and resource share a shape', () => {
    const same = { entityType: 'Person', fields: { name: 'string' as const } };
    const expression = compile('identity.name + "/" + resource.name', { identity: same, resource: same });
    expect(expression.evaluate({ identity: { name: 'a' }, resource: { name: 'b' } })).toBe('a/b');
  });
});
