import {
  type AssignedNavigation,
  type AssignedResourceType,
  type AssignedScalar,
  type Model,
  type PendingOperation,
  type ProvisionedAssignment,
  ProvisioningState,
  type ScalarValue,
  type WorkflowState,
} from '@ordo/core';
import type { Stores } from '../../storage/stores.ts';
import { type OrderPage, searchOrders } from '../orders/search-orders.ts';
import { resourceTypesOfSource } from '../orders/source-resource-types.ts';
import { decodeIdCursor, encodeIdCursor } from '../page-cursor.ts';
import { UseCaseError } from '../use-case-error.ts';

/**
 * What a reviewer decides on for one target resource (reference spec §6):
 * - `addition`: a resource to create, with all its values;
 * - `association`: an existing resource found by a correlation below 100 %, proposed as the owner's;
 * - `update`: values of an existing resource to change;
 * - `deletion`: a resource to delete.
 */
export type ReviewKind = 'addition' | 'association' | 'update' | 'deletion';

interface Dated {
  readonly provisioningState: ProvisioningState;
  readonly workflowState: WorkflowState;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly message: string | null;
}

/** One pending scalar or navigation value. */
export interface ReviewProperty extends Dated {
  readonly assignmentId: string;
  readonly kind: 'scalar' | 'navigation';
  readonly property: string;
  /** add | update | remove. */
  readonly operation: PendingOperation | null;
  /** What Ordo would write; null for a removal. A navigation's value is the linked resource's key. */
  readonly proposedValue: ScalarValue;
  /** What the managed system holds now, as last synchronized; null when absent. */
  readonly currentValue: ScalarValue;
  /** The linked resource of a navigation. */
  readonly valueResourceId: string | null;
  /** Query-rule confidence of a navigation. */
  readonly confidence: number | null;
}

/** One line of the resource view: one assigned resource type with its pending values. */
export interface ReviewResource extends Dated {
  readonly assignedResourceTypeId: string;
  readonly resourceTypeId: string;
  readonly kind: ReviewKind;
  readonly owner: { readonly id: string; readonly key: string | null };
  readonly target: { readonly id: string; readonly key: string | null } | null;
  /** Correlation confidence of the proposed resource (associations). */
  readonly confidence: number | null;
  /** Whether the resource itself (creation, association, deletion) waits for the decision. */
  readonly resourceAwaiting: boolean;
  readonly properties: ReviewProperty[];
}

export interface ReviewPage<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

type ListDeps = { stores: Pick<Stores, 'assignments' | 'provisioningReview' | 'resources'> };

/** The kind of review of an assigned resource type, from its row. */
export function reviewKindOf(row: AssignedResourceType): ReviewKind {
  if (row.provisioningState !== ProvisioningState.AwaitingApproval) return 'update';
  if (row.pendingOperation === 'add') return 'addition';
  if (row.pendingOperation === 'remove') return 'deletion';
  if (row.pendingOperation === null && row.targetResourceId !== null && (row.confidence ?? 100) < 100) {
    return 'association';
  }
  return 'update';
}

/** Resource view: assigned resource types of `entityType` owners with something in 5, by id. */
export async function listReviewResources(
  deps: ListDeps,
  model: Model,
  entityType: string,
  page: { cursor?: string; limit: number },
): Promise<ReviewPage<ReviewResource>> {
  const resourceTypeIds = resourceTypesOfSource(model, entityType);
  const afterId = decodeIdCursor(page.cursor);
  const groups = await deps.stores.provisioningReview.listAwaitingGroups({
    resourceTypeIds,
    ...(afterId !== undefined ? { afterId } : {}),
    limit: page.limit + 1,
  });
  const shown = groups.slice(0, page.limit);
  const items = await loadReviewResources(deps, shown);
  const last = shown.at(-1);
  return { items, nextCursor: groups.length > page.limit && last ? encodeIdCursor(last) : null };
}

/** The review lines of these assigned resource types, in the given order (groups with nothing in 5 are left out). */
export async function loadReviewResources(deps: ListDeps, groupIds: readonly string[]): Promise<ReviewResource[]> {
  if (groupIds.length === 0) return [];
  const awaiting = await deps.stores.provisioningReview.awaitingIdsOfGroups(groupIds);
  const rows = await deps.stores.assignments.getProvisioned([...groupIds, ...awaiting]);
  const heads = new Map<string, AssignedResourceType>();
  const values = new Map<string, (AssignedScalar | AssignedNavigation)[]>();
  const awaitingSet = new Set(awaiting);
  for (const row of rows) {
    if (row.kind === 'resource_type') heads.set(row.id, row);
    else if (awaitingSet.has(row.id)) {
      values.set(row.assignedResourceTypeId, [...(values.get(row.assignedResourceTypeId) ?? []), row]);
    }
  }
  const keys = await keysOf(deps, rows);
  return groupIds.flatMap((id) => {
    const head = heads.get(id);
    if (!head) return [];
    const properties = (values.get(id) ?? []).map((v) => propertyOf(v, keys));
    const resourceAwaiting = head.provisioningState === ProvisioningState.AwaitingApproval;
    if (!resourceAwaiting && properties.length === 0) return [];
    return [
      {
        assignedResourceTypeId: head.id,
        resourceTypeId: head.resourceTypeId,
        kind: reviewKindOf(head),
        owner: { id: head.ownerId, key: keys.get(head.ownerId) ?? null },
        target:
          head.targetResourceId === null
            ? null
            : { id: head.targetResourceId, key: keys.get(head.targetResourceId) ?? null },
        confidence: head.confidence,
        resourceAwaiting,
        ...dated(head),
        properties,
      },
    ];
  });
}

/** One line of the property view: a pending value with its owner and resource type. */
export interface ReviewPropertyLine extends ReviewProperty {
  readonly assignedResourceTypeId: string;
  readonly resourceTypeId: string;
  readonly owner: { readonly id: string; readonly key: string | null };
  readonly reviewKind: ReviewKind;
}

/** Property view: pending values of one resource type (optionally one property), by assignment id. */
export async function listReviewProperties(
  deps: ListDeps,
  model: Model,
  entityType: string,
  query: { resourceTypeId: string; property?: string; cursor?: string; limit: number },
): Promise<ReviewPage<ReviewPropertyLine>> {
  if (!resourceTypesOfSource(model, entityType).includes(query.resourceTypeId)) {
    throw new UseCaseError(
      'not_found',
      'RESOURCE_TYPE_NOT_FOUND',
      `there is no resource type "${query.resourceTypeId}" for ${entityType} owners`,
    );
  }
  const afterId = decodeIdCursor(query.cursor);
  const ids = await deps.stores.provisioningReview.listAwaitingValues({
    resourceTypeId: query.resourceTypeId,
    ...(query.property !== undefined ? { property: query.property } : {}),
    ...(afterId !== undefined ? { afterId } : {}),
    limit: query.limit + 1,
  });
  const shown = ids.slice(0, query.limit);
  const rows = await deps.stores.assignments.getProvisioned(shown);
  const headIds = [...new Set(rows.flatMap((r) => (r.kind === 'resource_type' ? [] : [r.assignedResourceTypeId])))];
  const heads = new Map(
    (await deps.stores.assignments.getProvisioned(headIds)).flatMap((h) =>
      h.kind === 'resource_type' ? [[h.id, h] as const] : [],
    ),
  );
  const keys = await keysOf(deps, rows);
  const items = rows.flatMap((row) => {
    if (row.kind === 'resource_type') return [];
    const head = heads.get(row.assignedResourceTypeId);
    return [
      {
        ...propertyOf(row, keys),
        assignedResourceTypeId: row.assignedResourceTypeId,
        resourceTypeId: row.resourceTypeId,
        owner: { id: row.ownerId, key: keys.get(row.ownerId) ?? null },
        reviewKind: head ? reviewKindOf(head) : 'update',
      },
    ];
  });
  const last = shown.at(-1);
  return { items, nextCursor: ids.length > query.limit && last ? encodeIdCursor(last) : null };
}

/** Errored orders of the entity type's resource types (shown on Provisioning Review), newest first. */
export async function listReviewErroredOrders(
  deps: { stores: Pick<Stores, 'orders' | 'orderSearch' | 'resources'> },
  model: Model,
  entityType: string,
  page: { cursor?: string; limit: number },
): Promise<OrderPage> {
  return searchOrders(deps, {
    states: [ProvisioningState.Errored],
    resourceTypeIds: resourceTypesOfSource(model, entityType),
    ...page,
  });
}

function dated(a: ProvisionedAssignment): Dated {
  return {
    provisioningState: a.provisioningState,
    workflowState: a.workflowState,
    startDate: a.startDate,
    endDate: a.endDate,
    message: a.message,
  };
}

function propertyOf(v: AssignedScalar | AssignedNavigation, keys: ReadonlyMap<string, string>): ReviewProperty {
  if (v.kind === 'scalar') {
    return {
      assignmentId: v.id,
      kind: 'scalar',
      property: v.property,
      operation: v.pendingOperation,
      proposedValue: v.pendingOperation === 'remove' ? null : v.computedValue,
      currentValue: v.currentValue,
      valueResourceId: null,
      confidence: null,
      ...dated(v),
    };
  }
  const key = keys.get(v.valueResourceId) ?? v.valueResourceId;
  const removing = v.pendingOperation === 'remove';
  return {
    assignmentId: v.id,
    kind: 'navigation',
    property: v.property,
    operation: v.pendingOperation,
    proposedValue: removing ? null : key,
    currentValue: removing ? key : null,
    valueResourceId: v.valueResourceId,
    confidence: v.confidence,
    ...dated(v),
  };
}

/** Keys of owners, targets and linked resources, for people to read. */
async function keysOf(
  deps: { stores: Pick<Stores, 'resources'> },
  rows: readonly ProvisionedAssignment[],
): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const r of rows) {
    ids.add(r.ownerId);
    if (r.kind === 'resource_type' && r.targetResourceId !== null) ids.add(r.targetResourceId);
    if (r.kind === 'navigation') ids.add(r.valueResourceId);
  }
  const resources = await deps.stores.resources.getMany([...ids]);
  return new Map(resources.map((r) => [r.id, r.key]));
}
