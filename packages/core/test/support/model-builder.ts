import type { Model, ResourceType, Role, Rules } from '../../src/model.ts';

/**
 * Test helper: builds a `Model` from partial pieces with the configuration defaults, so that a
 * scenario test states only what matters to it.
 */
const location = { file: 'test.yaml', line: 1, column: 1, path: 'test' };

export function resourceType(over: Partial<ResourceType> & Pick<ResourceType, 'id'>): ResourceType {
  return {
    displayName: over.id,
    category: null,
    connector: 'Directory',
    sourceEntityType: 'Person',
    targetEntityType: 'Account',
    fulfil: { connection: 'DirectoryLdap', noSynchronization: false },
    requireProvisioningReview: false,
    approvalSteps: 0,
    implicitApproval: false,
    allowAdd: true,
    allowRemove: true,
    removeOrphans: false,
    discardManualAssignments: false,
    correlateMultipleResources: false,
    suggestAllCorrelations: false,
    dependsOn: null,
    dependsOnOwnerProperty: null,
    fulfilHoursAhead: 0,
    watchdogMinutes: 0,
    thresholds: {
      maxInsert: 0,
      maxUpdate: 0,
      maxDelete: 0,
      maxInsertPercent: 30,
      maxUpdatePercent: 30,
      maxDeletePercent: 30,
    },
    location,
    ...over,
  };
}

export function role(over: Partial<Role> & Pick<Role, 'id'>): Role {
  return {
    displayName: over.id,
    entityType: 'Person',
    category: null,
    approvalSteps: 0,
    implicitApproval: false,
    maxDurationMinutes: 0,
    gracePeriodMinutes: 0,
    ...over,
  };
}

const noRules: Rules = {
  compositeRoles: [],
  singleRoles: [],
  types: [],
  scalars: [],
  navigations: [],
  queries: [],
  correlations: [],
  classifications: [],
};

/**
 * A model with Person identities, Account and Group targets in a `Directory` connector, plus
 * whatever the test adds.
 */
export function model(over: {
  resourceTypes?: ResourceType[];
  singleRoles?: Role[];
  compositeRoles?: Role[];
  rules?: Partial<Rules>;
}): Model {
  const byId = <T extends { id: string }>(items: T[] = []) => Object.fromEntries(items.map((i) => [i.id, i]));
  return {
    entityTypes: {
      Person: {
        id: 'Person',
        displayName: 'Person',
        key: 'employeeId',
        properties: {
          employeeId: { kind: 'scalar', name: 'employeeId', type: 'string' },
          firstName: { kind: 'scalar', name: 'firstName', type: 'string' },
          lastName: { kind: 'scalar', name: 'lastName', type: 'string' },
          department: { kind: 'scalar', name: 'department', type: 'string' },
          contractStart: { kind: 'scalar', name: 'contractStart', type: 'date' },
          contractEnd: { kind: 'scalar', name: 'contractEnd', type: 'date' },
        },
        context: { start: 'contractStart', end: 'contractEnd' },
      },
      Account: {
        id: 'Account',
        displayName: 'Account',
        key: 'uid',
        properties: {
          uid: { kind: 'scalar', name: 'uid', type: 'string' },
          displayName: { kind: 'scalar', name: 'displayName', type: 'string' },
          sn: { kind: 'scalar', name: 'sn', type: 'string' },
          title: { kind: 'scalar', name: 'title', type: 'string' },
          employeeNumber: { kind: 'scalar', name: 'employeeNumber', type: 'string' },
          enabled: { kind: 'scalar', name: 'enabled', type: 'bool' },
          memberOf: { kind: 'navigation', name: 'memberOf', target: 'Group', multiValued: true },
        },
        context: { start: null, end: null },
      },
      Group: {
        id: 'Group',
        displayName: 'Group',
        key: 'dn',
        properties: { dn: { kind: 'scalar', name: 'dn', type: 'string' } },
        context: { start: null, end: null },
      },
    },
    connectors: {
      Directory: {
        id: 'Directory',
        displayName: 'Directory',
        agent: 'local',
        entityTypes: ['Account', 'Group'],
        connections: {
          DirectoryLdap: { id: 'DirectoryLdap', kind: 'ldap', disabled: 'none', settings: {} },
        },
        syncThresholds: {
          maxInserted: 0,
          maxUpdated: 0,
          maxDeleted: 0,
          maxInsertedPercent: 30,
          maxUpdatedPercent: 30,
          maxDeletedPercent: 30,
        },
      },
    },
    resourceTypes: byId(over.resourceTypes),
    categories: {},
    singleRoles: byId(over.singleRoles),
    compositeRoles: byId(over.compositeRoles),
    rules: { ...noRules, ...over.rules },
    profiles: {},
  };
}

export const ruleLocation = location;
