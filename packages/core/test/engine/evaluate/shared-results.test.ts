import { describe, expect, it } from 'vitest';
import type { AssignedScalar } from '../../../src/assignments.ts';
import { compileConfiguration } from '../../../src/config/compile-configuration.ts';
import { createTargetDirectory, evaluateIdentity } from '../../../src/engine/evaluate/index.ts';
import { ruleIndex } from '../../../src/engine/evaluate/rule-index.ts';
import type { Model, SingleRoleRule } from '../../../src/model.ts';
import type { Resource } from '../../../src/resources.ts';
import { model as buildModel } from '../../support/model-builder.ts';

// Two systems computing the same display name (one expression result shared per identity) and a
// login through unique() (never shared: each system has its own taken values).
function system(name: string): string {
  return `
  ${name}Account:
    connector: ${name}
    source: Person
    target: ${name}Account
    fulfil: { connection: ${name}Connection }
    types: [{ id: ${name.toLowerCase()}-for-everyone }]
    scalars:
      - { property: login, expression: 'unique(lower(identity.lastName))', mapped: false }
      - { property: displayName, expression: 'identity.firstName + " " + identity.lastName' }
      - { property: title, expression: 'coalesce(identity.jobTitle, assignment.start, "none")' }`;
}

function compiledModel(): Model {
  const entityTypes = `entityTypes:
  Person:
    key: employeeId
    context: { start: contractStart, end: contractEnd }
    properties: { employeeId: string, firstName: string, lastName: string, jobTitle: string, contractStart: date, contractEnd: date }
${['Mail', 'Wiki']
  .map((n) => `  ${n}Account:\n    key: login\n    properties: { login: string, displayName: string, title: string }`)
  .join('\n')}
`;
  const connectors = `connectors:
  Hr: { entityTypes: [Person], connections: { HrCsv: { kind: csv, disabled: fulfil, settings: { path: /tmp/hr.csv } } } }
  Mail: { entityTypes: [MailAccount], connections: { MailConnection: { kind: memory, settings: {} } } }
  Wiki: { entityTypes: [WikiAccount], connections: { WikiConnection: { kind: memory, settings: {} } } }
`;
  const result = compileConfiguration([
    { path: 'entity-types.yaml', text: entityTypes },
    { path: 'connectors.yaml', text: connectors },
    { path: 'resource-types.yaml', text: `resourceTypes:${system('Mail')}${system('Wiki')}\n` },
  ]);
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.model;
}

function person(id: string, values: Record<string, string | null>): Resource {
  return { id, entityType: 'Person', key: id, values: { employeeId: id, ...values }, links: {} };
}

const now = '2025-06-01T00:00:00.000Z';

describe('expression results shared within one identity', () => {
  it('gives each system the same computed values, and each person their own', () => {
    const m = compiledModel();
    const directory = createTargetDirectory(
      m,
      [{ id: 'wiki-x', entityType: 'WikiAccount', key: 'doe', values: { login: 'doe' }, links: {} }],
      [],
    );
    const scalars = (identity: Resource) =>
      evaluateIdentity({
        model: m,
        now,
        identity,
        existing: [],
        directory,
        firstSynchronization: false,
        review: 'none',
      })
        .assignments.filter((a): a is AssignedScalar => a.kind === 'scalar')
        .map((a) => `${a.resourceTypeId}.${a.property}=${a.computedValue}`)
        .sort();
    const jane = person('p1', { firstName: 'Jane', lastName: 'Doe', jobTitle: null, contractStart: '2020-01-01' });
    const john = person('p2', { firstName: 'John', lastName: 'Roe', jobTitle: 'Clerk', contractStart: null });
    expect(scalars(jane)).toEqual([
      'MailAccount.displayName=Jane Doe',
      'MailAccount.login=doe',
      'MailAccount.title=2020-01-01T00:00:00.000Z',
      'WikiAccount.displayName=Jane Doe',
      // `doe` is taken in the wiki only: unique() is evaluated per system.
      'WikiAccount.login=doe2',
      'WikiAccount.title=2020-01-01T00:00:00.000Z',
    ]);
    expect(scalars(john)).toEqual([
      'MailAccount.displayName=John Roe',
      'MailAccount.login=roe',
      'MailAccount.title=Clerk',
      'WikiAccount.displayName=John Roe',
      'WikiAccount.login=roe',
      'WikiAccount.title=Clerk',
    ]);
  });
});

describe('ruleIndex', () => {
  const rule = (id: string, compositeRole: string | null): SingleRoleRule => ({
    id,
    role: `R-${id}`,
    compositeRole,
    type: 'required',
    denied: false,
    when: null,
    location: { file: 'roles.yaml', line: 1, column: 1, path: id },
  });

  it('gives the single role rules of the held composite roles in configuration order', () => {
    const rules = [rule('a', 'C1'), rule('b', null), rule('c', 'C2'), rule('d', 'C1'), rule('e', null)];
    const index = ruleIndex(buildModel({ rules: { singleRoles: rules } }));
    const ids = (held: string[]) => index.singleRoleRulesFor(new Set(held)).map((r) => r.id);
    expect(ids([])).toEqual(['b', 'e']);
    expect(ids(['C1'])).toEqual(['a', 'b', 'd', 'e']);
    expect(ids(['C2', 'C1'])).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(ids(['C3'])).toEqual(['b', 'e']);
  });

  it('is built once per model', () => {
    const m = buildModel({});
    expect(ruleIndex(m)).toBe(ruleIndex(m));
  });
});
