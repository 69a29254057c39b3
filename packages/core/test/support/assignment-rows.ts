import {
  type AssignedNavigation,
  type AssignedResourceType,
  type AssignedScalar,
  assignmentIds,
} from '../../src/assignments.ts';
import type { Resource } from '../../src/resources.ts';
import { ProvisioningState, WorkflowState } from '../../src/states.ts';

/**
 * Test helper: assignment rows as the evaluation of one identity produces them, with defaults
 * (workflow 18 Calculated, 1 Pending, no dates), so that order tests state only what matters.
 */
export function rtRow(
  ownerId: string,
  resourceTypeId: string,
  over: Partial<AssignedResourceType> = {},
): AssignedResourceType {
  return {
    kind: 'resource_type',
    id: assignmentIds.resourceType(ownerId, resourceTypeId),
    ownerId,
    resourceTypeId,
    workflowState: WorkflowState.Calculated,
    startDate: null,
    endDate: null,
    ruleId: null,
    provisioningState: ProvisioningState.Pending,
    pendingOperation: 'add',
    message: null,
    declined: false,
    targetResourceId: null,
    confidence: null,
    ...over,
  };
}

export function scalarRow(
  parent: AssignedResourceType,
  property: string,
  computedValue: AssignedScalar['computedValue'],
  over: Partial<AssignedScalar> = {},
): AssignedScalar {
  return {
    kind: 'scalar',
    id: assignmentIds.scalar(parent.id, property),
    ownerId: parent.ownerId,
    assignedResourceTypeId: parent.id,
    resourceTypeId: parent.resourceTypeId,
    property,
    computedValue,
    currentValue: null,
    mapped: true,
    workflowState: WorkflowState.Calculated,
    startDate: null,
    endDate: null,
    ruleId: null,
    provisioningState: ProvisioningState.Pending,
    pendingOperation: parent.targetResourceId === null ? 'add' : 'update',
    message: null,
    declined: false,
    ...over,
  };
}

export function navigationRow(
  parent: AssignedResourceType,
  property: string,
  valueResourceId: string,
  over: Partial<AssignedNavigation> = {},
): AssignedNavigation {
  return {
    kind: 'navigation',
    id: assignmentIds.navigation(parent.id, property, valueResourceId),
    ownerId: parent.ownerId,
    assignedResourceTypeId: parent.id,
    resourceTypeId: parent.resourceTypeId,
    property,
    valueResourceId,
    confidence: null,
    workflowState: WorkflowState.GivenByRole,
    startDate: null,
    endDate: null,
    ruleId: null,
    provisioningState: ProvisioningState.Pending,
    pendingOperation: 'add',
    message: null,
    declined: false,
    ...over,
  };
}

export function resource(
  id: string,
  entityType: string,
  key: string,
  values: Resource['values'] = {},
  links: Resource['links'] = {},
): Resource {
  return { id, entityType, key, values, links };
}

/** A resolver over a fixed list of resources. */
export function resolverOf(resources: readonly Resource[]) {
  const byId = new Map(resources.map((r) => [r.id, r]));
  return { resource: (id: string) => byId.get(id) };
}

/** Order ids `o1`, `o2`... in emission order. */
export function sequentialIds(prefix = 'o') {
  let n = 0;
  return () => `${prefix}${++n}`;
}
