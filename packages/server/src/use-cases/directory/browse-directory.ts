import {
  type Assignment,
  type LedgerEntry,
  type Model,
  type ProvisioningState,
  provisioningStateNames,
  type RequestItemKind,
  type Resource,
  requestableItems,
  type ScalarValue,
  type WorkflowState,
  workflowStateNames,
} from '@ordo/core';
import type { Stores } from '../../storage/stores.ts';
import type { AppliedModelCache } from '../applied-model-cache.ts';
import { decodeIdCursor, encodeIdCursor } from '../page-cursor.ts';
import { identityInScope, type RequestActor, requestAssignmentId } from '../requests/request-deps.ts';
import { UseCaseError } from '../use-case-error.ts';

/** What the Directory screens read (house rule 3). */
export interface DirectoryDeps {
  readonly stores: Pick<Stores, 'directory' | 'resources' | 'assignments' | 'ledger' | 'requests'>;
  readonly models: Pick<AppliedModelCache, 'current'>;
}

export type DirectoryViewer = Pick<RequestActor, 'scope'>;

export interface StateName {
  readonly number: number;
  readonly name: string;
}

export interface IdentitySummary {
  readonly id: string;
  readonly key: string;
  readonly entityType: string;
  readonly values: Readonly<Record<string, ScalarValue>>;
}

export interface IdentityPage {
  readonly items: IdentitySummary[];
  /** Pass back as `cursor` for the next page; null at the end. */
  readonly nextCursor: string | null;
}

/**
 * Searches the identities of an entity type that the viewer may see: text in the key or a scalar
 * value, in id order, a page at a time. The scope is applied in the query, so pages are full.
 */
export async function searchIdentities(
  deps: DirectoryDeps,
  viewer: DirectoryViewer,
  options: { entityType: string; text?: string; cursor?: string; limit: number },
): Promise<IdentityPage> {
  await entityTypeOf(deps, options.entityType);
  const ids = await deps.stores.directory.searchIds({
    entityType: options.entityType,
    scope: viewer.scope,
    limit: options.limit + 1,
    ...(options.text ? { text: options.text } : {}),
    ...(options.cursor ? { afterId: decodeIdCursor(options.cursor) } : {}),
  });
  const page = ids.slice(0, options.limit);
  const resources = await deps.stores.resources.getMany(page);
  const last = page.at(-1);
  return {
    items: resources.map(summary),
    nextCursor: ids.length > options.limit && last ? encodeIdCursor(last) : null,
  };
}

export interface OwnedResource {
  readonly assignmentId: string;
  readonly resourceTypeId: string;
  readonly resource: IdentitySummary;
}

export interface IdentityDetail extends IdentitySummary {
  /** Navigation property → linked resources (id and key). */
  readonly links: Record<string, { id: string; key: string }[]>;
  /** The accounts and other target resources it owns. */
  readonly owns: OwnedResource[];
}

/** One identity with its values, links and owned resources (accounts). */
export async function getIdentity(
  deps: DirectoryDeps,
  viewer: DirectoryViewer,
  entityType: string,
  id: string,
): Promise<IdentityDetail> {
  await entityTypeOf(deps, entityType);
  const identity = await identityInScope(deps.stores, viewer, entityType, id);
  const linkedIds = Object.values(identity.links).flat();
  const assignments = (await deps.stores.assignments.loadByOwners([identity.id])).get(identity.id) ?? [];
  const ownedRows = assignments.flatMap((a) => (a.kind === 'resource_type' && a.targetResourceId !== null ? [a] : []));
  const related = new Map(
    (await deps.stores.resources.getMany([...linkedIds, ...ownedRows.map((a) => a.targetResourceId as string)])).map(
      (r) => [r.id, r],
    ),
  );
  const links: Record<string, { id: string; key: string }[]> = {};
  for (const [property, targets] of Object.entries(identity.links)) {
    links[property] = targets.map((t) => ({ id: t, key: related.get(t)?.key ?? t }));
  }
  const owns: OwnedResource[] = [];
  for (const a of ownedRows) {
    const resource = related.get(a.targetResourceId as string);
    if (resource) owns.push({ assignmentId: a.id, resourceTypeId: a.resourceTypeId, resource: summary(resource) });
  }
  return { ...summary(identity), links, owns };
}

export interface TimelineEntry {
  readonly id: number;
  readonly at: string;
  readonly stateKind: 'provisioning' | 'workflow';
  readonly from: StateName | null;
  readonly to: StateName | null;
  readonly event: string;
  readonly ruleId: string | null;
  readonly message: string | null;
  readonly orderId: string | null;
  readonly cause: { readonly kind: string; readonly id: string };
}

export interface AssignmentView {
  readonly id: string;
  readonly kind: Assignment['kind'];
  /** The role, resource type, `resourceType.property = value` the assignment gives (ids). */
  readonly label: string;
  /** The same for people: display names from the configuration ("Atlas account: mail = …"). */
  readonly displayName: string;
  readonly roleId: string | null;
  readonly resourceTypeId: string | null;
  readonly property: string | null;
  readonly value: ScalarValue | null;
  readonly workflowState: StateName;
  /** null for roles, which are not provisioned. */
  readonly provisioningState: StateName | null;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly ruleId: string | null;
  readonly message: string | null;
  /** The pending request about it, if any. */
  readonly pendingRequestId: string | null;
  readonly timeline: TimelineEntry[];
}

/**
 * Every assignment of an identity (composite roles, single roles, resource types, scalars,
 * navigations) with its workflow and provisioning states named, its dates, and its timeline from
 * the order ledger: how it came to be, was requested, approved, ordered, sent and verified.
 */
export async function listPermissions(
  deps: DirectoryDeps,
  viewer: DirectoryViewer,
  entityType: string,
  id: string,
): Promise<AssignmentView[]> {
  const identity = await identityInScope(deps.stores, viewer, entityType, id);
  const assignments = (await deps.stores.assignments.loadByOwners([identity.id])).get(identity.id) ?? [];
  const entries = await deps.stores.ledger.byOwner(identity.id);
  const byAssignment = new Map<string, LedgerEntry[]>();
  for (const e of entries) {
    const list = byAssignment.get(e.assignmentId);
    if (list) list.push(e);
    else byAssignment.set(e.assignmentId, [e]);
  }
  const pendingRequests = (await deps.stores.requests.listByOwner(identity.id, 500)).filter(
    (r) => r.status === 'pending',
  );
  const pending = new Map(pendingRequests.map((r) => [r.assignmentId, r.id]));
  const valueKeys = new Map(
    (
      await deps.stores.resources.getMany(
        assignments.flatMap((a) => (a.kind === 'navigation' ? [a.valueResourceId] : [])),
      )
    ).map((r) => [r.id, r.key]),
  );
  const order: Record<Assignment['kind'], number> = {
    composite_role: 0,
    single_role: 1,
    resource_type: 2,
    scalar: 3,
    navigation: 4,
  };
  const { model } = await deps.models.current();
  const views = assignments.map((a) =>
    assignmentView(a, byAssignment.get(a.id) ?? [], pending.get(a.id) ?? null, valueKeys, model),
  );
  return views.sort((a, b) => order[a.kind] - order[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The ledger of one assignment of an identity, oldest first. */
export async function assignmentTimeline(
  deps: DirectoryDeps,
  viewer: DirectoryViewer,
  entityType: string,
  id: string,
  assignmentId: string,
): Promise<TimelineEntry[]> {
  const identity = await identityInScope(deps.stores, viewer, entityType, id);
  const entries = await deps.stores.ledger.byAssignment(assignmentId);
  const assignment = await deps.stores.assignments.get(assignmentId);
  const owned = assignment ? assignment.ownerId === identity.id : entries.some((e) => e.ownerId === identity.id);
  if (!owned) {
    throw new UseCaseError('not_found', 'ASSIGNMENT_NOT_FOUND', `${identity.key} has no assignment ${assignmentId}`);
  }
  return entries.filter((e) => e.ownerId === identity.id).map(timelineEntry);
}

export interface RequestableView {
  readonly kind: RequestItemKind;
  readonly id: string;
  readonly displayName: string;
  readonly category: string | null;
  readonly categoryName: string | null;
  /** Approval steps a request needs (0 = approved at once). */
  readonly approvalSteps: number;
  readonly implicitApproval: boolean;
  readonly assignmentId: string;
  /** The identity's current assignment of it, if any. */
  readonly currentWorkflowState: StateName | null;
  readonly pendingRequestId: string | null;
}

/** The Modify Permissions picker: what the identity may be given, and what it already has. */
export async function requestableFor(
  deps: DirectoryDeps,
  viewer: DirectoryViewer,
  entityType: string,
  id: string,
): Promise<RequestableView[]> {
  const identity = await identityInScope(deps.stores, viewer, entityType, id);
  const { model } = await deps.models.current();
  const assignments = new Map(
    ((await deps.stores.assignments.loadByOwners([identity.id])).get(identity.id) ?? []).map((a) => [a.id, a]),
  );
  const pending = new Map(
    (await deps.stores.requests.listByOwner(identity.id, 500))
      .filter((r) => r.status === 'pending')
      .map((r) => [r.assignmentId, r.id]),
  );
  return requestableItems(model, identity.entityType).map((item) => {
    const assignmentId = requestAssignmentId(item.kind, identity.id, item.id);
    const current = assignments.get(assignmentId);
    return {
      kind: item.kind,
      id: item.id,
      displayName: item.displayName,
      category: item.category,
      categoryName: item.category ? (model.categories[item.category]?.displayName ?? item.category) : null,
      approvalSteps: item.approvalSteps ?? 0,
      implicitApproval: item.implicitApproval,
      assignmentId,
      currentWorkflowState: current ? workflowName(current.workflowState) : null,
      pendingRequestId: pending.get(assignmentId) ?? null,
    };
  });
}

async function entityTypeOf(
  deps: Pick<DirectoryDeps, 'models'>,
  entityType: string,
): Promise<Model['entityTypes'][string]> {
  const { model } = await deps.models.current();
  const found = model.entityTypes[entityType];
  if (!found) throw new UseCaseError('not_found', 'ENTITY_TYPE_NOT_FOUND', `there is no entity type ${entityType}`);
  return found;
}

function summary(r: Resource): IdentitySummary {
  return { id: r.id, key: r.key, entityType: r.entityType, values: r.values };
}

function workflowName(s: WorkflowState): StateName {
  return { number: s, name: workflowStateNames[s] ?? String(s) };
}

function provisioningName(s: ProvisioningState): StateName {
  return { number: s, name: provisioningStateNames[s] ?? String(s) };
}

function stateName(kind: 'provisioning' | 'workflow', s: number | null): StateName | null {
  if (s === null) return null;
  return kind === 'workflow' ? workflowName(s as WorkflowState) : provisioningName(s as ProvisioningState);
}

function timelineEntry(e: LedgerEntry): TimelineEntry {
  return {
    id: e.id,
    at: e.at,
    stateKind: e.stateKind,
    from: stateName(e.stateKind, e.from),
    to: stateName(e.stateKind, e.to),
    event: e.event,
    ruleId: e.ruleId,
    message: e.message,
    orderId: e.orderId,
    cause: { kind: e.cause.kind, id: e.cause.id },
  };
}

function assignmentView(
  a: Assignment,
  entries: readonly LedgerEntry[],
  pendingRequestId: string | null,
  valueKeys: ReadonlyMap<string, string>,
  model: Model,
): AssignmentView {
  const roleName = (id: string) => model.singleRoles[id]?.displayName ?? model.compositeRoles[id]?.displayName ?? id;
  const typeName = (id: string) => model.resourceTypes[id]?.displayName ?? id;
  const base = {
    id: a.id,
    kind: a.kind,
    workflowState: workflowName(a.workflowState),
    startDate: a.startDate,
    endDate: a.endDate,
    ruleId: a.ruleId,
    pendingRequestId,
    timeline: entries.map(timelineEntry),
  };
  switch (a.kind) {
    case 'composite_role':
    case 'single_role':
      return {
        ...base,
        label: a.roleId,
        displayName: roleName(a.roleId),
        roleId: a.roleId,
        resourceTypeId: null,
        property: null,
        value: null,
        provisioningState: null,
        message: null,
      };
    case 'resource_type':
      return {
        ...base,
        label: a.resourceTypeId,
        displayName: typeName(a.resourceTypeId),
        roleId: null,
        resourceTypeId: a.resourceTypeId,
        property: null,
        value: null,
        provisioningState: provisioningName(a.provisioningState),
        message: a.message,
      };
    case 'scalar':
      return {
        ...base,
        label: `${a.resourceTypeId}.${a.property} = ${JSON.stringify(a.computedValue)}`,
        displayName: `${typeName(a.resourceTypeId)}: ${a.property} = ${JSON.stringify(a.computedValue)}`,
        roleId: null,
        resourceTypeId: a.resourceTypeId,
        property: a.property,
        value: a.computedValue,
        provisioningState: provisioningName(a.provisioningState),
        message: a.message,
      };
    case 'navigation': {
      const key = valueKeys.get(a.valueResourceId) ?? a.valueResourceId;
      return {
        ...base,
        label: `${a.resourceTypeId}.${a.property} ∋ ${key}`,
        displayName: `${typeName(a.resourceTypeId)}: ${a.property} ∋ ${key}`,
        roleId: null,
        resourceTypeId: a.resourceTypeId,
        property: a.property,
        value: key,
        provisioningState: provisioningName(a.provisioningState),
        message: a.message,
      };
    }
  }
}
