import {
  type AssignedCompositeRole,
  type AssignedNavigation,
  type AssignedResourceType,
  type AssignedScalar,
  type AssignedSingleRole,
  assignmentIds,
  type LedgerEntry,
  type ProvisioningOrder,
  ProvisioningState,
  type Resource,
  WorkflowState,
} from '@ordo/core';

export function person(n: number, overrides: Partial<Resource> = {}): Resource {
  const id = `p${String(n).padStart(6, '0')}`;
  return {
    id,
    entityType: 'Person',
    key: `E${n}`,
    values: { firstName: `Zoë ${n}`, active: true, grade: n % 7, leftAt: null },
    links: {},
    ...overrides,
  };
}

export function group(n: number): Resource {
  return {
    id: `g${String(n).padStart(4, '0')}`,
    entityType: 'LdapGroup',
    key: `cn=g${n},dc=example,dc=org`,
    values: {},
    links: {},
  };
}

export function compositeRole(owner: string, role: string): AssignedCompositeRole {
  return {
    kind: 'composite_role',
    id: assignmentIds.compositeRole(owner, role),
    ownerId: owner,
    workflowState: WorkflowState.Calculated,
    startDate: null,
    endDate: null,
    ruleId: null,
    roleId: role,
  };
}

export function singleRole(owner: string, role: string): AssignedSingleRole {
  return {
    kind: 'single_role',
    id: assignmentIds.singleRole(owner, role),
    ownerId: owner,
    workflowState: WorkflowState.Approved,
    startDate: '2025-01-01T00:00:00.000Z',
    endDate: '2026-12-31T23:59:59.999Z',
    ruleId: 'rule:single:日本',
    roleId: role,
    inferredFrom: 'Composite/Ops',
  };
}

export function resourceType(
  owner: string,
  rt = 'LdapAccount',
  state: ProvisioningState = ProvisioningState.Pending,
): AssignedResourceType {
  return {
    kind: 'resource_type',
    id: assignmentIds.resourceType(owner, rt),
    ownerId: owner,
    workflowState: WorkflowState.Calculated,
    startDate: null,
    endDate: null,
    ruleId: 'type-rule-1',
    provisioningState: state,
    pendingOperation: 'add',
    message: null,
    declined: false,
    resourceTypeId: rt,
    targetResourceId: null,
    confidence: null,
  };
}

export function scalar(
  owner: string,
  property: string,
  value: AssignedScalar['computedValue'],
  rt = 'LdapAccount',
): AssignedScalar {
  const art = assignmentIds.resourceType(owner, rt);
  return {
    kind: 'scalar',
    id: assignmentIds.scalar(art, property),
    ownerId: owner,
    workflowState: WorkflowState.Calculated,
    startDate: '2025-03-01T00:00:00.000Z',
    endDate: null,
    ruleId: `scalar:${property}`,
    provisioningState: ProvisioningState.Verified,
    pendingOperation: null,
    message: 'ok — «quoted» 🚀',
    declined: true,
    assignedResourceTypeId: art,
    resourceTypeId: rt,
    property,
    computedValue: value,
    currentValue: null,
    mapped: false,
  };
}

export function navigation(owner: string, property: string, value: string, rt = 'LdapAccount'): AssignedNavigation {
  const art = assignmentIds.resourceType(owner, rt);
  return {
    kind: 'navigation',
    id: assignmentIds.navigation(art, property, value),
    ownerId: owner,
    workflowState: WorkflowState.GivenByRole,
    startDate: null,
    endDate: '2030-01-01T00:00:00.000Z',
    ruleId: null,
    provisioningState: ProvisioningState.AwaitingApproval,
    pendingOperation: 'remove',
    message: null,
    declined: false,
    assignedResourceTypeId: art,
    resourceTypeId: rt,
    property,
    valueResourceId: value,
    confidence: 120,
  };
}

export function order(n: number, overrides: Partial<ProvisioningOrder> = {}): ProvisioningOrder {
  const owner = `p${String(n).padStart(6, '0')}`;
  const art = assignmentIds.resourceType(owner, 'LdapAccount');
  return {
    id: `o${String(n).padStart(6, '0')}`,
    assignedResourceTypeId: art,
    resourceTypeId: 'LdapAccount',
    connector: 'ldap',
    ownerId: owner,
    targetResourceId: null,
    targetKey: null,
    changeType: 'added',
    scalars: { cn: `Zoë ${n}`, uidNumber: 1000 + n, locked: false, mail: null },
    addedLinks: { memberOf: [{ id: 'g0001', key: 'cn=g1,dc=example,dc=org' }] },
    removedLinks: {},
    assignmentIds: [art, assignmentIds.scalar(art, 'cn')],
    state: ProvisioningState.Pending,
    notBefore: null,
    createdAt: '2025-06-01T10:00:00.000Z',
    runId: 'run-1',
    ...overrides,
  };
}

export function ledgerEntry(overrides: Partial<Omit<LedgerEntry, 'id'>> = {}): Omit<LedgerEntry, 'id'> {
  return {
    assignmentId: 'rt:p000001:LdapAccount',
    ownerId: 'p000001',
    stateKind: 'provisioning',
    from: null,
    to: ProvisioningState.Pending,
    event: 'computed',
    ruleId: 'type-rule-1',
    expressionResult: { value: 'x' },
    message: null,
    orderId: null,
    cause: { kind: 'job', id: 'job-42' },
    at: '2025-06-01T10:00:00.000Z',
    ...overrides,
  };
}
