import { describe, expect, it } from 'vitest';
import {
  type CompileConfigurationResult,
  type ConfigurationFile,
  compileConfiguration,
} from '../../src/config/compile-configuration.ts';
import type { ConfigProblem } from '../../src/config/config-problem.ts';
import { readConfigurationFolder } from './read-folder.ts';

/** A small valid base: Person → Account in a Directory connector. Tests append or patch YAML. */
const base = `
entityTypes:
  Person:
    key: employeeId
    context: { start: contractStart, end: contractEnd }
    properties:
      employeeId: string
      firstName: string
      lastName: string
      age: int
      contractStart: date
      contractEnd: date
  Account:
    key: uid
    properties:
      uid: string
      sn: string
      enabled: bool
      memberOf: { target: Group, multiValued: true }
      manager: { target: Group }
  Group:
    key: dn
    properties:
      dn: string
connectors:
  Directory:
    entityTypes: [Account, Group]
    connections:
      DirectoryLdap:
        kind: ldap
        settings: { url: "ldap://x", bindPassword: "env:LDAP_PASSWORD" }
singleRoles:
  Staff:
    entityType: Person
`;

const accountType = (extra: string) => `
resourceTypes:
  Account:
    connector: Directory
    source: Person
    target: Account
    fulfil: { connection: DirectoryLdap }
${extra}`;

function compile(...texts: string[]): CompileConfigurationResult {
  const files: ConfigurationFile[] = texts.map((text, index) => ({ path: `f${index + 1}.yaml`, text }));
  return compileConfiguration(files);
}

function problems(...texts: string[]): ConfigProblem[] {
  const result = compile(...texts);
  if (result.ok) throw new Error('expected problems, the configuration compiled');
  return [...result.problems];
}

function only(...texts: string[]): ConfigProblem {
  const found = problems(...texts);
  expect(found, JSON.stringify(found, null, 2)).toHaveLength(1);
  return found[0]!;
}

describe('compileConfiguration: valid configurations', () => {
  it('compiles the example folder with no problems', async () => {
    const result = compileConfiguration(await readConfigurationFolder('examples/basic'));
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('builds the expected model with defaults', () => {
    const result = compile(
      base,
      accountType(`    scalars:
      - property: sn
        expression: upper(identity.lastName)
        comparison: ignore_case
    navigations:
      - { id: staff-group, property: memberOf, value: "cn=staff", role: Staff }
    types:
      - role: Staff
`),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { model } = result;
    expect(model.resourceTypes.Account).toMatchObject({
      id: 'Account',
      displayName: 'Account',
      category: null,
      connector: 'Directory',
      sourceEntityType: 'Person',
      targetEntityType: 'Account',
      fulfil: { connection: 'DirectoryLdap', noSynchronization: false },
      requireProvisioningReview: false,
      approvalSteps: 0,
      allowAdd: true,
      allowRemove: true,
      removeOrphans: false,
      thresholds: {
        maxInsert: 0,
        maxUpdate: 0,
        maxDelete: 0,
        maxInsertPercent: 30,
        maxUpdatePercent: 30,
        maxDeletePercent: 30,
      },
      location: { file: 'f2.yaml', line: 3, column: 3, path: 'resourceTypes.Account' },
    });
    expect(model.entityTypes.Account?.properties.memberOf).toEqual({
      kind: 'navigation',
      name: 'memberOf',
      target: 'Group',
      multiValued: true,
    });
    expect(model.entityTypes.Person?.context).toEqual({ start: 'contractStart', end: 'contractEnd' });
    expect(model.connectors.Directory?.connections.DirectoryLdap?.settings).toEqual({
      url: 'ldap://x',
      bindPassword: { env: 'LDAP_PASSWORD' },
    });
    expect(model.connectors.Directory?.agent).toBe('local');
    expect(model.singleRoles.Staff).toMatchObject({ approvalSteps: 0, entityType: 'Person', gracePeriodMinutes: 0 });

    const scalar = model.rules.scalars[0]!;
    expect(scalar).toMatchObject({
      id: 'f2.yaml#resourceTypes.Account.scalars[0]',
      resourceType: 'Account',
      property: 'sn',
      singleRole: null,
      mapped: true,
      comparison: 'ignore_case',
      timeOffset: null,
      when: null,
    });
    expect(scalar.expression.evaluate({ identity: { lastName: 'Doe' } })).toBe('DOE');
    expect(model.rules.navigations[0]).toMatchObject({ id: 'staff-group', singleRole: 'Staff', value: 'cn=staff' });
    expect(model.rules.types[0]).toMatchObject({ singleRole: 'Staff', type: 'required', denied: false });
  });

  it('deep-freezes the model', () => {
    const result = compile(base, accountType(''));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(Object.isFrozen(result.model)).toBe(true);
    expect(Object.isFrozen(result.model.resourceTypes.Account?.thresholds)).toBe(true);
    expect(Object.isFrozen(result.model.rules.scalars)).toBe(true);
    expect(() => {
      (result.model.resourceTypes as Record<string, unknown>).X = 1;
    }).toThrow();
  });

  it('maps approval not_requestable to null and file:/env: references', () => {
    const result = compile(
      base
        .replace('kind: ldap', 'kind: ldap\n        disabled: export')
        .replace('"env:LDAP_PASSWORD"', '"file:/run/secrets/ldap"'),
      accountType('    approval: not_requestable\n    requireProvisioningReview: true\n'),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.model.resourceTypes.Account?.approvalSteps).toBeNull();
    expect(result.model.resourceTypes.Account?.requireProvisioningReview).toBe(true);
    expect(result.model.connectors.Directory?.connections.DirectoryLdap).toMatchObject({
      disabled: 'export',
      settings: { bindPassword: { file: '/run/secrets/ldap' } },
    });
  });

  it('merges sections spread over several files', () => {
    const result = compile(
      base,
      accountType(''),
      'profiles:\n  User: { permissions: [/Custom/Resources/Person/View] }\n',
    );
    expect(result.ok && Object.keys(result.model.profiles)).toEqual(['User']);
  });
});

describe('compileConfiguration: a broken folder reports every problem, located', () => {
  const first = `entityTypes:
  Person:
    key: employeeId
    properties:
      employeeId: string
      lastName: string
      manager: { target: Persn }
connectors:
  Directory:
    entityTypes: [Account]
    connections:
      DirectoryLdap:
        kind: ldap
        settings:
          bindPassword: hunter2
  Other:
    entityTypes: []
    connections:
      OtherCsv: { kind: csv }
  Account:
    key: uid
    properties: { uid: string, memberOf: { target: Account, multiValued: true } }
`;
  const second = `resourceTypes:
  Account:
    connector: Directory
    source: Person
    target: Account
    fulfil: { connection: OtherCsv }
    allowRemove: false
    removeOrphans: true
    dependsOn: AdAccount
    approval: 4
    scalars:
      - property: uid
        expression: lower(identity.lastNme)
      - property: memberOf
        expression: identity.lastName
    correlations:
      - source: identity.employeeId
        target: resource.uid
        confidence: 200
singleRoles:
  Staff:
    entityType: Person
    colour: blue
`;
  // "Account" was written under connectors by mistake (line 20 of f1.yaml), so the entity type
  // does not exist: that is one of the mistakes.

  it('finds all of them with file, line and column', () => {
    const found = problems(first, second).map((p) => `${p.file}:${p.line}:${p.column} ${p.code} ${p.path}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'f1.yaml:7:26 CONFIG_UNKNOWN_REFERENCE entityTypes.Person.properties.manager.target',
        'f1.yaml:10:19 CONFIG_UNKNOWN_REFERENCE connectors.Directory.entityTypes[0]',
        'f1.yaml:15:25 CONFIG_LITERAL_SECRET connectors.Directory.connections.DirectoryLdap.settings.bindPassword',
        'f1.yaml:20:3 CONFIG_INVALID connectors.Account',
        'f1.yaml:21:10 CONFIG_INVALID connectors.Account.key',
        'f1.yaml:22:5 CONFIG_INVALID connectors.Account.properties',
        'f2.yaml:5:13 CONFIG_UNKNOWN_REFERENCE resourceTypes.Account.target',
        'f2.yaml:6:27 CONFIG_UNKNOWN_REFERENCE resourceTypes.Account.fulfil.connection',
        'f2.yaml:8:20 CONFIG_CONFLICT resourceTypes.Account.removeOrphans',
        'f2.yaml:9:16 CONFIG_UNKNOWN_REFERENCE resourceTypes.Account.dependsOn',
        'f2.yaml:10:15 CONFIG_INVALID resourceTypes.Account.approval',
        'f2.yaml:19:21 CONFIG_INVALID resourceTypes.Account.correlations[0].confidence',
        'f2.yaml:23:13 CONFIG_INVALID singleRoles.Staff.colour',
        'f2.yaml:13:21 CONFIG_EXPRESSION resourceTypes.Account.scalars[0].expression',
      ]),
    );
  });

  it('writes messages a person understands', () => {
    const byPath = new Map(problems(first, second).map((p) => [p.path, p.message]));
    expect(byPath.get('resourceTypes.Account.dependsOn')).toBe('unknown resource type "AdAccount" (known: Account)');
    expect(byPath.get('connectors.Directory.connections.DirectoryLdap.settings.bindPassword')).toContain(
      'write env:NAME or file:PATH',
    );
    expect(byPath.get('resourceTypes.Account.fulfil.connection')).toBe(
      'connection "OtherCsv" belongs to connector "Other", not to "Directory"',
    );
    expect(byPath.get('singleRoles.Staff.colour')).toBe('unknown field "colour"');
    const missing = problems(first, second).filter((p) => p.path === 'connectors.Account');
    expect(missing.map((p) => p.message)).toEqual([
      'missing required field "entityTypes"',
      'missing required field "connections"',
    ]);
    // The scalar rules of a resource type whose target entity type is unknown are not checked
    // against it again: one mistake, one problem.
    expect(byPath.has('resourceTypes.Account.scalars[1].property')).toBe(false);
  });
});

describe('compileConfiguration: semantic checks', () => {
  it('reports YAML syntax errors with their position', () => {
    const problem = only('entityTypes:\n  Person: [unclosed\n');
    expect(problem.code).toBe('CONFIG_YAML_SYNTAX');
    expect(problem.file).toBe('f1.yaml');
    expect(problem.line).toBeGreaterThanOrEqual(2);
  });

  it('explains a wrong property declaration once, without cascading to the key check', () => {
    const problem = only('entityTypes:\n  P:\n    key: id\n    properties:\n      id: strin\n');
    expect(problem).toMatchObject({ code: 'CONFIG_INVALID', path: 'entityTypes.P.properties.id', line: 5, column: 11 });
    expect(problem.message).toContain('a property is a scalar type (string, int, bool, date)');
  });

  it('refuses unknown sections', () => {
    expect(only(base, 'resourceType: {}\n')).toMatchObject({ code: 'CONFIG_INVALID', file: 'f2.yaml', line: 1 });
  });

  it('refuses duplicate ids across files, naming the first definition', () => {
    const problem = only(base, 'singleRoles:\n  Staff: { entityType: Person }\n');
    expect(problem).toMatchObject({ code: 'CONFIG_DUPLICATE_ID', file: 'f2.yaml', line: 2 });
    expect(problem.message).toContain('first defined in f1.yaml:33');
  });

  it('refuses duplicate explicit rule ids', () => {
    const problem = only(
      base,
      accountType(`    types:
      - { id: same }
      - { id: same }
`),
    );
    expect(problem).toMatchObject({ code: 'CONFIG_DUPLICATE_ID', path: 'resourceTypes.Account.types[1].id' });
  });

  it('checks the entity type key and context properties', () => {
    const found = problems(base.replace('key: employeeId', 'key: id').replace('end: contractEnd', 'end: lastName'));
    expect(found.map((p) => [p.code, p.path])).toEqual([
      ['CONFIG_UNKNOWN_REFERENCE', 'entityTypes.Person.key'],
      ['CONFIG_WRONG_KIND', 'entityTypes.Person.context.end'],
    ]);
  });

  it('checks that a scalar rule targets a scalar property and a navigation rule a navigation', () => {
    const found = problems(
      base,
      accountType(`    scalars:
      - { property: memberOf, expression: '"x"' }
      - { property: nope, expression: '"x"' }
    navigations:
      - { property: sn, value: x }
`),
    );
    expect(found.map((p) => [p.code, p.path])).toEqual([
      ['CONFIG_WRONG_KIND', 'resourceTypes.Account.scalars[0].property'],
      ['CONFIG_UNKNOWN_REFERENCE', 'resourceTypes.Account.scalars[1].property'],
      ['CONFIG_WRONG_KIND', 'resourceTypes.Account.navigations[0].property'],
    ]);
    expect(found[1]?.message).toBe(
      'entity type "Account" has no property "nope" (known: uid, sn, enabled, memberOf, manager)',
    );
  });

  it('checks query rule properties and their target scope (the linked entity type)', () => {
    const found = problems(
      base,
      accountType(`    queries:
      - { property: sn, source: identity.lastName, target: resource.dn, confidence: 100 }
      - { property: manager, source: identity.lastName, target: resource.uid, confidence: 100 }
`),
    );
    expect(found.map((p) => [p.code, p.path])).toEqual([
      ['CONFIG_WRONG_KIND', 'resourceTypes.Account.queries[0].property'],
      ['CONFIG_EXPRESSION', 'resourceTypes.Account.queries[1].target'],
    ]);
    expect(found[1]?.message).toContain('resource (Group) has no property "uid"');
  });

  it('refuses a navigation property computed by both navigation and query rules (scenario 22)', () => {
    const problem = only(
      base,
      accountType(`    navigations:
      - { property: memberOf, value: "cn=a", role: Staff }
    queries:
      - { property: memberOf, source: identity.lastName, target: resource.dn, confidence: 100 }
`),
    );
    expect(problem).toMatchObject({ code: 'CONFIG_CONFLICT', path: 'resourceTypes.Account.queries[0].property' });
  });

  it('refuses removeOrphans without allowRemove (scenario 29)', () => {
    const problem = only(base, accountType('    allowRemove: false\n    removeOrphans: true\n'));
    expect(problem).toMatchObject({ code: 'CONFIG_CONFLICT', path: 'resourceTypes.Account.removeOrphans', line: 9 });
  });

  it('refuses two role-less scalar rules for the same property and period', () => {
    const problem = only(
      base,
      accountType(`    scalars:
      - { property: sn, expression: identity.lastName }
      - { property: sn, expression: identity.firstName, role: Staff }
      - { property: sn, expression: identity.firstName, timeOffset: { reference: before, startMinutes: -60 } }
      - { property: sn, expression: upper(identity.lastName) }
`),
    );
    expect(problem).toMatchObject({ code: 'CONFIG_CONFLICT', path: 'resourceTypes.Account.scalars[3]' });
    expect(problem.message).toContain('only one rule per property per period');
  });

  it('checks confidence, approval, thresholds and time offsets ranges', () => {
    const found = problems(
      base,
      accountType(`    approval: 5
    thresholds: { maxInsert: -1, maxDeletePercent: 101 }
    classifications:
      - { when: 'resource.uid == "x"', confidence: 151 }
    navigations:
      - { property: memberOf, value: x, timeOffset: { reference: after, startMinutes: 60, endMinutes: 0 } }
      - { property: memberOf, value: y, timeOffset: { reference: sometime } }
`),
    );
    expect(found.map((p) => p.path)).toEqual([
      'resourceTypes.Account.approval',
      'resourceTypes.Account.thresholds.maxInsert',
      'resourceTypes.Account.thresholds.maxDeletePercent',
      'resourceTypes.Account.classifications[0].confidence',
      'resourceTypes.Account.navigations[1].timeOffset.reference',
    ]);
    // The reversed offset is only found by the semantic pass, which needs a structurally valid item.
    const reversed = only(
      base,
      accountType(`    navigations:
      - { property: memberOf, value: x, timeOffset: { reference: after, startMinutes: 60, endMinutes: 0 } }
`),
    );
    expect(reversed).toMatchObject({ code: 'CONFIG_INVALID', path: 'resourceTypes.Account.navigations[0].timeOffset' });
  });

  it('checks references: connector, entity types, roles, categories, composite roles', () => {
    const found = problems(
      base,
      `resourceTypes:
  Account:
    connector: Dir
    source: Persons
    target: Account
    category: Nope
    fulfil: { connection: DirectoryLdap }
    types:
      - role: Staf
compositeRoles:
  Everyone: { entityType: Person }
singleRoles:
  Admin:
    entityType: Person
    rules:
      - compositeRole: Everybody
`,
    );
    expect(found.map((p) => [p.path, p.message])).toEqual([
      ['resourceTypes.Account.connector', 'unknown connector "Dir" (known: Directory)'],
      ['resourceTypes.Account.source', 'unknown entity type "Persons" (known: Person, Account, Group)'],
      ['resourceTypes.Account.category', 'unknown category "Nope" (known: none defined)'],
      ['resourceTypes.Account.types[0].role', 'unknown single role "Staf" (known: Staff, Admin)'],
      ['singleRoles.Admin.rules[0].compositeRole', 'unknown composite role "Everybody" (known: Everyone)'],
    ]);
  });

  it('refuses a role of another entity type as a criterion', () => {
    const problem = only(
      base.replace('    entityType: Person\n', '    entityType: Account\n'),
      accountType('    types:\n      - role: Staff\n'),
    );
    expect(problem.message).toBe('single role "Staff" is assigned to Account, not to Person');
  });

  it('refuses a target entity type the connector does not manage', () => {
    const problem = only(base, accountType('').replace('target: Account', 'target: Person'));
    expect(problem.message).toContain('connector "Directory" does not manage entity type "Person"');
  });

  it('finds category parent cycles and depends-on cycles', () => {
    const found = problems(
      base,
      `categories:
  A: { parent: B }
  B: { parent: A }
  C: { parent: A }
resourceTypes:
  R1: { connector: Directory, source: Person, target: Account, fulfil: { connection: DirectoryLdap }, dependsOn: R2 }
  R2: { connector: Directory, source: Person, target: Account, fulfil: { connection: DirectoryLdap }, dependsOn: R1 }
  R3: { connector: Directory, source: Person, target: Account, fulfil: { connection: DirectoryLdap }, dependsOn: R3 }
`,
    );
    expect(found.map((p) => [p.code, p.path, p.message])).toEqual([
      ['CONFIG_CYCLE', 'categories.A.parent', 'category parents form a cycle: A → B → A'],
      ['CONFIG_CYCLE', 'categories.B.parent', 'category parents form a cycle: B → A → B'],
      ['CONFIG_CYCLE', 'resourceTypes.R1.dependsOn', 'resource type dependencies form a cycle: R1 → R2 → R1'],
      ['CONFIG_CYCLE', 'resourceTypes.R2.dependsOn', 'resource type dependencies form a cycle: R2 → R1 → R2'],
      ['CONFIG_CYCLE', 'resourceTypes.R3.dependsOn', 'resource type "R3" cannot depend on itself'],
    ]);
  });

  it('refuses literal secrets, accepts references and ordinary settings', () => {
    const found = problems(
      base.replace(
        'settings: { url: "ldap://x", bindPassword: "env:LDAP_PASSWORD" }',
        'settings: { url: "ldap://x", bindPassword: "s3cret", apiKey: 42, clientSecret: "env:", token: "file:/t" }',
      ),
    );
    expect(found.map((p) => [p.code, p.path.split('.').pop()])).toEqual([
      ['CONFIG_LITERAL_SECRET', 'bindPassword'],
      ['CONFIG_LITERAL_SECRET', 'apiKey'],
      ['CONFIG_LITERAL_SECRET', 'clientSecret'],
    ]);
  });

  it('type-checks CEL expressions against the right entity type, at check time, with location', () => {
    const found = problems(
      base,
      accountType(`    types:
      - when: identity.age + 1
    scalars:
      - property: sn
        expression: identity.lastname
      - property: enabled
        expression: identity.age > 18
        role: Staff
      - property: uid
        expression: identity.age
    correlations:
      - { source: identity.employeeId, target: identity.employeeId, confidence: 100 }
    classifications:
      - { when: 'resource.lastName == "x"', confidence: 100 }
`),
    );
    expect(found.map((p) => [p.code, `${p.line}:${p.column}`, p.path])).toEqual([
      ['CONFIG_EXPRESSION_TYPE', '9:15', 'resourceTypes.Account.types[0].when'],
      ['CONFIG_EXPRESSION', '12:21', 'resourceTypes.Account.scalars[0].expression'],
      ['CONFIG_EXPRESSION_TYPE', '17:21', 'resourceTypes.Account.scalars[2].expression'],
      ['CONFIG_EXPRESSION', '19:48', 'resourceTypes.Account.correlations[0].target'],
      ['CONFIG_EXPRESSION', '21:17', 'resourceTypes.Account.classifications[0].when'],
    ]);
    expect(found[0]?.message).toBe('a "when" condition must give bool, but `identity.age + 1` gives int');
    expect(found[1]?.message).toContain('identity (Person) has no property "lastname"');
    expect(found[3]?.message).toContain('unknown variable "identity"');
    expect(found[4]?.message).toContain('resource (Account) has no property "lastName"');
  });
});
