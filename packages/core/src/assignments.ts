import type { ScalarValue } from './expression.ts';
import type { ProvisioningState, WorkflowState } from './states.ts';

/**
 * Assignments: "owner X holds entitlement E" (reference spec §2.4). Roles exist only in Ordo and
 * have no provisioning state; resource types, scalars and navigations are written to a managed
 * system and carry one. Ids are natural keys (see `assignmentIds`), so that a complete and an
 * incremental computation of the same data produce the same rows.
 */
interface AssignmentCommon {
  readonly id: string;
  /** The source resource (usually an identity). */
  readonly ownerId: string;
  readonly workflowState: WorkflowState;
  readonly startDate: string | null;
  readonly endDate: string | null;
  /** The rule that justifies the assignment, when a rule does. */
  readonly ruleId: string | null;
}

/** What the pending order of a provisioned assignment will do to the managed system. */
export type PendingOperation = 'add' | 'update' | 'remove';

interface ProvisionedCommon extends AssignmentCommon {
  readonly provisioningState: ProvisioningState;
  /** Null when nothing is to be written (Verified, non-conforming kept as found...). */
  readonly pendingOperation: PendingOperation | null;
  /** Why the state is what it is when it is an error (7 Error, 3 Errored), or a hold reason. */
  readonly message: string | null;
  /**
   * A reviewer declined this computed value in Provisioning Review: it is not proposed again
   * until the computation gives something else.
   */
  readonly declined: boolean;
}

export interface AssignedCompositeRole extends AssignmentCommon {
  readonly kind: 'composite_role';
  readonly roleId: string;
}

export interface AssignedSingleRole extends AssignmentCommon {
  readonly kind: 'single_role';
  readonly roleId: string;
  /** The composite role it was inferred from, if any. */
  readonly inferredFrom: string | null;
}

export interface AssignedResourceType extends ProvisionedCommon {
  readonly kind: 'resource_type';
  readonly resourceTypeId: string;
  /** The owned target resource, once created or correlated. */
  readonly targetResourceId: string | null;
  /** Correlation confidence (0–150) when the target was found by a correlation rule. */
  readonly confidence: number | null;
}

export interface AssignedScalar extends ProvisionedCommon {
  readonly kind: 'scalar';
  readonly assignedResourceTypeId: string;
  readonly resourceTypeId: string;
  readonly property: string;
  /** What the role model says. */
  readonly computedValue: ScalarValue;
  /** What the managed system holds, as last synchronized. */
  readonly currentValue: ScalarValue;
  readonly mapped: boolean;
}

export interface AssignedNavigation extends ProvisionedCommon {
  readonly kind: 'navigation';
  readonly assignedResourceTypeId: string;
  readonly resourceTypeId: string;
  readonly property: string;
  readonly valueResourceId: string;
  /** Query-rule confidence, when a query rule chose the value. */
  readonly confidence: number | null;
}

export type ProvisionedAssignment = AssignedResourceType | AssignedScalar | AssignedNavigation;
export type Assignment = AssignedCompositeRole | AssignedSingleRole | ProvisionedAssignment;
export type AssignmentKind = Assignment['kind'];

/** Natural keys of assignments. */
export const assignmentIds = {
  compositeRole: (ownerId: string, roleId: string) => `cr:${ownerId}:${roleId}`,
  singleRole: (ownerId: string, roleId: string) => `sr:${ownerId}:${roleId}`,
  /** `discriminator` tells apart several targets of one type (correlate multiple resources). */
  resourceType: (ownerId: string, resourceTypeId: string, discriminator?: string) =>
    discriminator ? `rt:${ownerId}:${resourceTypeId}:${discriminator}` : `rt:${ownerId}:${resourceTypeId}`,
  scalar: (assignedResourceTypeId: string, property: string) => `${assignedResourceTypeId}/s:${property}`,
  navigation: (assignedResourceTypeId: string, property: string, valueResourceId: string) =>
    `${assignedResourceTypeId}/n:${property}:${valueResourceId}`,
} as const;

export function isProvisioned(a: Assignment): a is ProvisionedAssignment {
  return a.kind === 'resource_type' || a.kind === 'scalar' || a.kind === 'navigation';
}

/**
 * Whether an assigned resource type owns its target. An association proposal (a correlation
 * below 100 waiting in review) names a target without owning it, so that a certain match of
 * another identity still wins.
 */
export function ownsTarget(a: AssignedResourceType): boolean {
  if (a.targetResourceId === null) return false;
  return !(a.provisioningState === 5 && a.confidence !== null && a.confidence < 100);
}
