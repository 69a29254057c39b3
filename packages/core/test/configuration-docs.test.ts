import { describe, expect, it } from 'vitest';
import {
  documentedDefaults,
  documentedFields,
  readExampleFiles,
  renderConfigurationDocs,
  repositoryRoot,
} from '../scripts/render-configuration-docs.ts';
import { compileConfiguration } from '../src/config/compile-configuration.ts';
import type { Model } from '../src/model.ts';
import { fileSystem } from './config/read-folder.ts';

const target = 'docs/configuration.md';

describe(target, () => {
  it('is committed up to date with the schema and examples/basic (ORDO_WRITE_DOCS=1 regenerates it)', async () => {
    const root = repositoryRoot();
    const fs = await fileSystem();
    const path = `${root}/${target}`;
    const expected = renderConfigurationDocs(undefined, await readExampleFiles(root));
    const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
    if (env.ORDO_WRITE_DOCS === '1') fs.writeFileSync(path, expected);
    expect(fs.existsSync(path), `${target} is missing: run npm run docs:config`).toBe(true);
    expect(fs.readFileSync(path, 'utf8'), `${target} is stale: run npm run docs:config`).toBe(expected);
  });

  it('describes every field, and has no note for a field the schema no longer has', () => {
    const { fields, unusedNotes } = documentedFields();
    expect(fields.length).toBeGreaterThan(100);
    expect(fields.filter((f) => !f.described).map((f) => f.path)).toEqual([]);
    expect(unusedNotes).toEqual([]);
  });

  it('fails to render when an example it quotes is gone', () => {
    expect(() => renderConfigurationDocs(undefined, [{ path: 'roles.yaml', text: 'singleRoles: {}\n' }])).toThrow(
      /entity-types\.yaml is missing|has no/,
    );
  });

  // The defaults column is written by hand next to the schema; the compiler is what applies them,
  // so each documented default is checked against what it compiles a minimal item into.
  it('documents the defaults the compiler applies', () => {
    const model = compileMinimal();
    const connector = model.connectors.C!;
    const connection = connector.connections.Conn!;
    const resourceType = model.resourceTypes.R!;
    const role = model.singleRoles.S!;
    const composite = model.compositeRoles.K!;
    const typeRule = model.rules.types[0]!;
    const scalar = model.rules.scalars[0]!;
    const navigation = model.rules.navigations[0]!;
    const roleRule = model.rules.singleRoles[0]!;
    const compiled: Record<string, unknown> = {
      'entityTypes.*.displayName': model.entityTypes.P!.displayName === 'P' ? 'the id' : 'other',
      'entityTypes.*.context.start': model.entityTypes.P!.context.start ?? 'none',
      'entityTypes.*.context.end': model.entityTypes.P!.context.end ?? 'none',
      'entityTypes.*.properties.*{target}.multiValued': String(
        (model.entityTypes.P!.properties.manager as { multiValued: boolean }).multiValued,
      ),
      'connectors.*.displayName': connector.displayName === 'C' ? 'the id' : 'other',
      'connectors.*.agent': connector.agent,
      'connectors.*.connections.*.disabled': connection.disabled,
      'connectors.*.syncThresholds.maxInserted': connector.syncThresholds.maxInserted,
      'connectors.*.syncThresholds.maxUpdated': connector.syncThresholds.maxUpdated,
      'connectors.*.syncThresholds.maxDeleted': connector.syncThresholds.maxDeleted,
      'connectors.*.syncThresholds.maxInsertedPercent': connector.syncThresholds.maxInsertedPercent,
      'connectors.*.syncThresholds.maxUpdatedPercent': connector.syncThresholds.maxUpdatedPercent,
      'connectors.*.syncThresholds.maxDeletedPercent': connector.syncThresholds.maxDeletedPercent,
      'resourceTypes.*.category': resourceType.category ?? 'none',
      'resourceTypes.*.fulfil.noSynchronization': String(resourceType.fulfil.noSynchronization),
      'resourceTypes.*.requireProvisioningReview': String(resourceType.requireProvisioningReview),
      'resourceTypes.*.approval': resourceType.approvalSteps,
      'resourceTypes.*.implicitApproval': String(resourceType.implicitApproval),
      'resourceTypes.*.allowAdd': String(resourceType.allowAdd),
      'resourceTypes.*.allowRemove': String(resourceType.allowRemove),
      'resourceTypes.*.removeOrphans': String(resourceType.removeOrphans),
      'resourceTypes.*.discardManualAssignments': String(resourceType.discardManualAssignments),
      'resourceTypes.*.correlateMultipleResources': String(resourceType.correlateMultipleResources),
      'resourceTypes.*.suggestAllCorrelations': String(resourceType.suggestAllCorrelations),
      'resourceTypes.*.dependsOn': resourceType.dependsOn ?? 'none',
      'resourceTypes.*.dependsOnOwnerProperty': resourceType.dependsOnOwnerProperty ?? 'none',
      'resourceTypes.*.fulfilHoursAhead': resourceType.fulfilHoursAhead,
      'resourceTypes.*.watchdogMinutes': resourceType.watchdogMinutes,
      'resourceTypes.*.thresholds.maxInsert': resourceType.thresholds.maxInsert,
      'resourceTypes.*.thresholds.maxUpdate': resourceType.thresholds.maxUpdate,
      'resourceTypes.*.thresholds.maxDelete': resourceType.thresholds.maxDelete,
      'resourceTypes.*.thresholds.maxInsertPercent': resourceType.thresholds.maxInsertPercent,
      'resourceTypes.*.thresholds.maxUpdatePercent': resourceType.thresholds.maxUpdatePercent,
      'resourceTypes.*.thresholds.maxDeletePercent': resourceType.thresholds.maxDeletePercent,
      'resourceTypes.*.types[].when': typeRule.when === null ? 'always' : 'set',
      'resourceTypes.*.types[].role': typeRule.singleRole ?? 'none',
      'resourceTypes.*.types[].denied': String(typeRule.denied),
      'resourceTypes.*.types[].type': typeRule.type,
      'resourceTypes.*.scalars[].role': scalar.singleRole ?? 'none',
      'resourceTypes.*.scalars[].when': scalar.when === null ? 'always' : 'set',
      'resourceTypes.*.scalars[].mapped': String(scalar.mapped),
      'resourceTypes.*.scalars[].comparison': scalar.comparison,
      'resourceTypes.*.navigations[].role': navigation.singleRole ?? 'none',
      'resourceTypes.*.navigations[].when': navigation.when === null ? 'always' : 'set',
      'resourceTypes.*.navigations[].denied': String(navigation.denied),
      'singleRoles.*.approval': role.approvalSteps,
      'singleRoles.*.implicitApproval': String(role.implicitApproval),
      'singleRoles.*.maxDurationMinutes': role.maxDurationMinutes,
      'singleRoles.*.gracePeriodMinutes': role.gracePeriodMinutes,
      'singleRoles.*.rules[].when': roleRule.when === null ? 'always' : 'set',
      'singleRoles.*.rules[].denied': String(roleRule.denied),
      'singleRoles.*.rules[].type': roleRule.type,
      'singleRoles.*.rules[].compositeRole': roleRule.compositeRole ?? 'none',
      'compositeRoles.*.approval': composite.approvalSteps,
      'compositeRoles.*.implicitApproval': String(composite.implicitApproval),
      'compositeRoles.*.maxDurationMinutes': composite.maxDurationMinutes,
      'compositeRoles.*.gracePeriodMinutes': composite.gracePeriodMinutes,
      'profiles.*.scope': model.profiles.All!.scope.kind,
      'profiles.*.managerProperty': (model.profiles.Managed!.scope as { managerProperty: string }).managerProperty,
    };
    const documented = documentedDefaults();
    for (const [path, value] of Object.entries(compiled)) {
      // "0 (off)" documents 0; the words in parentheses are only the explanation.
      const shown = documented[path]?.replace(/ \(.*\)$/, '').replace(/^"(.*)"$/, '$1');
      expect(shown, path).toBe(String(value));
    }
  });
});

/** One item of every kind with only its required fields, so every optional field takes its default. */
function compileMinimal(): Model {
  const text = `
entityTypes:
  P: { key: id, properties: { id: string, manager: { target: P } } }
  A: { key: id, properties: { id: string, name: string, groups: { target: A, multiValued: true } } }
connectors:
  C: { entityTypes: [A], connections: { Conn: { kind: memory } } }
resourceTypes:
  R:
    connector: C
    source: P
    target: A
    fulfil: { connection: Conn }
    types: [{}]
    scalars: [{ property: name, expression: identity.id }]
    navigations: [{ property: groups, value: g1 }]
singleRoles:
  S: { entityType: P, rules: [{}] }
compositeRoles:
  K: { entityType: P }
profiles:
  All: { permissions: [/Monitoring] }
  Managed: { permissions: [/Monitoring], scope: managed }
`;
  const result = compileConfiguration([{ path: 'minimal.yaml', text }]);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.model;
}
