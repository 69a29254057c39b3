import {
  type AssignedCompositeRole,
  type AssignedResourceType,
  type AssignedSingleRole,
  type Assignment,
  type AutoDecisionPolicy,
  assignmentIds,
  type Cause,
  grants,
  type IdentityScope,
  inIdentityScope,
  ProvisioningState,
  pendingWorkflowState,
  type RequestItemKind,
  type RequestRefusal,
  type Resource,
  type WorkflowMove,
  type WorkflowState,
} from '@ordo/core';
import type { Clock } from '../../clock.ts';
import type { ProvisioningPipeline } from '../../jobs/provisioning-pipeline.ts';
import type { RequestRecord } from '../../storage/request-store.ts';
import type { Stores } from '../../storage/stores.ts';
import type { AppliedModelCache } from '../applied-model-cache.ts';
import { UseCaseError } from '../use-case-error.ts';

/** What the request use cases use (house rule 3). */
export interface RequestDeps {
  readonly stores: Pick<
    Stores,
    'requests' | 'assignments' | 'ledger' | 'audit' | 'resources' | 'accounts' | 'notifications' | 'transaction'
  >;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly models: Pick<AppliedModelCache, 'current'>;
  /** Recomputes the dirty owners after an approval, so the approved item flows to orders. */
  readonly pipeline: Pick<ProvisioningPipeline, 'request'>;
  /** Server-wide auto decision of requests nobody decided in time; null/absent = never. */
  readonly autoDecision?: AutoDecisionPolicy | null;
}

/** The caller of a request use case: who, and whom they reach. */
export interface RequestActor {
  readonly actor: string;
  readonly permissions: readonly string[];
  readonly scope: IdentityScope;
}

export const reviewPermission = (entityType: string) => `/Custom/ProvisioningPolicy/ReviewRoles/${entityType}`;
export const requestPermission = (entityType: string) => `/Custom/ProvisioningPolicy/RequestPermissions/${entityType}`;

/** Whether `who` may review requests for `owner`: the review permission, with the owner in scope. */
export function mayReview(who: RequestActor, owner: Resource): boolean {
  return grants(who.permissions, reviewPermission(owner.entityType)) && inIdentityScope(who.scope, owner);
}

/** The identity, if it exists, is of `entityType` and lies in the caller's scope (404 / 403 otherwise). */
export async function identityInScope(
  stores: Pick<Stores, 'resources'>,
  who: Pick<RequestActor, 'scope'>,
  entityType: string,
  id: string,
): Promise<Resource> {
  const owner = await stores.resources.get(id);
  if (!owner || owner.entityType !== entityType) {
    throw new UseCaseError('not_found', 'IDENTITY_NOT_FOUND', `there is no ${entityType} with id ${id}`);
  }
  if (!inIdentityScope(who.scope, owner)) {
    throw new UseCaseError('forbidden', 'OUT_OF_SCOPE', `${entityType} ${owner.key} is outside your scope`);
  }
  return owner;
}

/** The workflow state a request's assignment is in. */
export function requestWorkflowState(
  request: Pick<RequestRecord, 'action' | 'status' | 'steps' | 'approvals'>,
  assignment: Assignment | undefined,
): WorkflowState | null {
  if (request.action === 'add' && request.status === 'pending') {
    return pendingWorkflowState(request.steps, request.approvals);
  }
  return assignment?.workflowState ?? null;
}

export function requestAssignmentId(kind: RequestItemKind, ownerId: string, itemId: string): string {
  if (kind === 'single_role') return assignmentIds.singleRole(ownerId, itemId);
  if (kind === 'composite_role') return assignmentIds.compositeRole(ownerId, itemId);
  return assignmentIds.resourceType(ownerId, itemId);
}

/** The assignment row a request writes, in `workflowState`, keeping what the engine set on an existing row. */
export function requestedAssignment(
  existing: Assignment | undefined,
  request: { itemKind: RequestItemKind; itemId: string; ownerId: string; assignmentId: string },
  workflowState: WorkflowState,
  period: { startDate: string | null; endDate: string | null },
): Assignment {
  const common = {
    id: request.assignmentId,
    ownerId: request.ownerId,
    workflowState,
    startDate: period.startDate,
    endDate: period.endDate,
    ruleId: null,
  };
  if (request.itemKind === 'single_role') {
    const row: AssignedSingleRole = { kind: 'single_role', ...common, roleId: request.itemId, inferredFrom: null };
    return row;
  }
  if (request.itemKind === 'composite_role') {
    const row: AssignedCompositeRole = { kind: 'composite_role', ...common, roleId: request.itemId };
    return row;
  }
  const previous = existing?.kind === 'resource_type' ? existing : undefined;
  const row: AssignedResourceType = {
    kind: 'resource_type',
    ...common,
    resourceTypeId: request.itemId,
    provisioningState: previous?.provisioningState ?? ProvisioningState.None,
    pendingOperation: previous?.pendingOperation ?? null,
    message: previous?.message ?? null,
    declined: false,
    targetResourceId: previous?.targetResourceId ?? null,
    confidence: previous?.confidence ?? null,
  };
  return row;
}

/** Ledger lines of the workflow moves of a request's assignment. */
export function ledgerLines(
  moves: readonly WorkflowMove[],
  subject: { assignmentId: string; ownerId: string },
  cause: Cause,
  at: string,
) {
  return moves.map((m) => ({
    assignmentId: subject.assignmentId,
    ownerId: subject.ownerId,
    stateKind: 'workflow' as const,
    from: m.from,
    to: m.to,
    event: m.event,
    ruleId: null,
    expressionResult: null,
    message: m.message,
    orderId: null,
    cause,
    at,
  }));
}

const refusalKinds: Record<RequestRefusal['code'], UseCaseError['kind']> = {
  UNKNOWN_ITEM: 'invalid',
  NOT_REQUESTABLE: 'invalid',
  WRONG_ENTITY_TYPE: 'invalid',
  INVALID_PERIOD: 'invalid',
  REQUEST_ALREADY_PENDING: 'conflict',
  ALREADY_ASSIGNED: 'conflict',
  NOT_ASSIGNED: 'conflict',
  NOT_MANUALLY_ASSIGNED: 'conflict',
  REQUEST_ALREADY_DECIDED: 'conflict',
  SELF_APPROVAL_REFUSED: 'forbidden',
  STEP_ALREADY_DECIDED_BY_YOU: 'forbidden',
};

export function refusalError(refusal: RequestRefusal): UseCaseError {
  return new UseCaseError(refusalKinds[refusal.code], refusal.code, refusal.message);
}

export const alreadyDecided = (requestId: string) =>
  new UseCaseError(
    'conflict',
    'REQUEST_ALREADY_DECIDED',
    `request ${requestId} was decided by someone else at the same moment: reload it`,
  );
