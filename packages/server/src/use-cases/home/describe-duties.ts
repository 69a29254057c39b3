import { type Model, ProvisioningState } from '@ordo/core';
import type { Principal } from '../../security/principal.ts';
import type { Stores } from '../../storage/stores.ts';
import { listJobs } from '../jobs/job-queries.ts';
import { listManualOrders } from '../manual-provisioning/manual-provisioning.ts';
import { listReviewErroredOrders, listReviewResources } from '../provisioning-review/list-provisioning-review.ts';
import { resourceTypesTargeting } from '../reconciliation/find-reconciliation-orphans.ts';
import { listResourceReconciliation, listRoleReconciliation } from '../reconciliation/list-reconciliation.ts';
import { listPendingForReview } from '../requests/manage-requests.ts';
import type { RequestDeps } from '../requests/request-deps.ts';
import type { CountCache, QueueSize } from './count-cache.ts';

/** The screens of the web UI; each is opened through one API route, whose access rule decides who sees it. */
export type Screen =
  | 'directory'
  | 'role-review'
  | 'provisioning-review'
  | 'manual-provisioning'
  | 'resource-reconciliation'
  | 'role-reconciliation'
  | 'orders'
  | 'errors'
  | 'jobs'
  | 'connectors';

/** One screen a person may open, for one entity type where the screen is per entity type. */
export interface Duty {
  readonly screen: Screen;
  readonly entityType: string | null;
  readonly entityTypeName: string | null;
  /** Items waiting on the screen (at most `countLimit`), or null for screens that are not a queue. */
  readonly count: number | null;
  /** True when there are more than `count` items. */
  readonly more: boolean;
}

/** Counting stops here: the home page says "100+" rather than scanning a whole queue. */
export const countLimit = 100;

/** Which API route opens each screen: its access rule is the screen's permission. */
const screenRoutes: Readonly<Record<Screen, string>> = {
  directory: '/api/directory/:entityType',
  'role-review': '/api/role-review/:entityType',
  'provisioning-review': '/api/provisioning-review/:entityType',
  'manual-provisioning': '/api/manual-provisioning/:entityType',
  'resource-reconciliation': '/api/reconciliation/resources/:entityType',
  'role-reconciliation': '/api/reconciliation/roles/:entityType',
  orders: '/api/orders',
  errors: '/api/orders/errors',
  jobs: '/api/jobs',
  connectors: '/api/connectors',
};

type Counter = (entityType: string) => Promise<QueueSize>;

/**
 * Whether the principal may call the GET route `url` (one of `screenRoutes`) for this entity type.
 * The HTTP layer answers it from the route table it enforces.
 */
export type MayOpen = (url: string, entityType: string | null) => boolean;

export interface DutyDeps extends Pick<RequestDeps, 'stores' | 'models'> {
  readonly stores: Stores;
  /** Reconciliation counts are shared for a while (see CountCache); absent: counted every time. */
  readonly reconciliationCounts?: CountCache;
}

/**
 * The home page: every screen the principal may open, with the size of its queue. `mayOpen`
 * answers from the route table the server enforces, so the UI never shows a screen whose API
 * would answer 403, and never hides one it would serve.
 */
export async function describeDuties(deps: DutyDeps, principal: Principal, mayOpen: MayOpen): Promise<Duty[]> {
  const { model } = await deps.models.current();
  const may = (screen: Screen, entityType: string | null) => mayOpen(screenRoutes[screen], entityType);
  const page = { limit: countLimit };
  const sized = (items: { length: number }, next: string | null) => ({ count: items.length, more: next !== null });
  const who = { actor: principal.actor, permissions: principal.permissions, scope: principal.scope };
  // People with the same identity scope see the same reconciliation items: they share the count.
  const shared = (key: string, count: () => Promise<QueueSize>) =>
    deps.reconciliationCounts
      ? deps.reconciliationCounts.get(`${key}:${JSON.stringify(principal.scope)}`, count)
      : count();
  const counters: Partial<Record<Screen, Counter>> = {
    'role-review': async (entityType) => {
      const p = await listPendingForReview(deps, who, { entityType, ...page });
      return sized(p.items, p.nextCursor);
    },
    'provisioning-review': async (entityType) => {
      const p = await listReviewResources(deps, model, entityType, page);
      const errored = await listReviewErroredOrders(deps, model, entityType, page);
      return {
        count: p.items.length + errored.items.length,
        more: p.nextCursor !== null || errored.nextCursor !== null,
      };
    },
    'manual-provisioning': async (entityType) => {
      const p = await listManualOrders(deps, model, entityType, page);
      return sized(p.items, p.nextCursor);
    },
    'resource-reconciliation': (entityType) =>
      shared(`resources:${entityType}`, async () => {
        const p = await listResourceReconciliation(deps, model, { entityType, scope: principal.scope, ...page });
        return sized(p.items, p.nextCursor);
      }),
    'role-reconciliation': (entityType) =>
      shared(`roles:${entityType}`, async () => {
        const p = await listRoleReconciliation(deps, model, { entityType, scope: principal.scope, ...page });
        return sized(p.items, p.nextCursor);
      }),
  };

  const duties: Duty[] = [];
  const add = async (screen: Screen, entityType: string | null) => {
    if (!may(screen, entityType)) return;
    const counter = counters[screen];
    const size = counter && entityType ? await counter(entityType) : null;
    duties.push({
      screen,
      entityType,
      entityTypeName: entityType ? (model.entityTypes[entityType]?.displayName ?? entityType) : null,
      count: size?.count ?? null,
      more: size?.more ?? false,
    });
  };
  for (const entityType of identityTypesOf(model)) {
    for (const screen of ['directory', 'role-review', 'provisioning-review', 'manual-provisioning'] as const) {
      await add(screen, entityType);
    }
    await add('role-reconciliation', entityType);
  }
  for (const entityType of targetTypesOf(model)) await add('resource-reconciliation', entityType);
  if (may('errors', null)) {
    // Counted, not grouped: the inbox's grouping reads every errored order, the count stops at 100.
    const errored = await deps.stores.orderSearch.search({
      states: [ProvisioningState.Errored],
      limit: countLimit + 1,
    });
    duties.push({
      ...unscopedDuty('errors'),
      count: Math.min(errored.length, countLimit),
      more: errored.length > countLimit,
    });
  }
  if (may('jobs', null)) {
    const running = await listJobs(deps, { status: 'running', ...page });
    duties.push({ ...unscopedDuty('jobs'), ...sized(running.jobs, running.nextCursor) });
  }
  for (const screen of ['orders', 'connectors'] as const) if (may(screen, null)) duties.push(unscopedDuty(screen));
  return duties;
}

/** A screen that is not per entity type, without a count (callers add one where there is a queue). */
function unscopedDuty(screen: Screen): Duty {
  return { screen, entityType: null, entityTypeName: null, count: null, more: false };
}

/** Entity types that own resources or receive roles: the identities of the role model. */
function identityTypesOf(model: Model): string[] {
  const ids = new Set<string>();
  for (const rt of Object.values(model.resourceTypes)) ids.add(rt.sourceEntityType);
  for (const role of [...Object.values(model.singleRoles), ...Object.values(model.compositeRoles)]) {
    ids.add(role.entityType);
  }
  return [...ids].sort();
}

/** Entity types that resource types provision (accounts, groups): reconciled against their systems. */
function targetTypesOf(model: Model): string[] {
  return Object.keys(model.entityTypes)
    .filter((id) => resourceTypesTargeting(model, id).length > 0)
    .sort();
}
