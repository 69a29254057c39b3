import {
  identityScopeOf,
  inIdentityScope,
  type Model,
  notifies,
  type ProvisionedAssignment,
  type ProvisioningOrder,
  permissionsOf,
} from '@ordo/core';
import type { Clock } from '../clock.ts';
import type { Account } from '../storage/account-store.ts';
import type { NewNotification } from '../storage/notification-store.ts';
import type { Stores } from '../storage/stores.ts';

/** Permission paths whose exact holders are notified (reference spec §7, §9). */
export const notificationPermissions = {
  manualProvisioning: (sourceEntityType: string) =>
    `/Custom/ProvisioningPolicy/PerformManualProvisioning/${sourceEntityType}`,
  provisioningReview: (sourceEntityType: string) => `/Custom/ProvisioningPolicy/ReviewProvisioning/${sourceEntityType}`,
  roleReview: (entityType: string) => `/Custom/ProvisioningPolicy/ReviewRoles/${entityType}`,
  /** Usercube's job-end notification path for an errored job (§9 `/Jobs/RunJob/Launch/{...}`). */
  jobFailed: '/Jobs/RunJob/Launch/Errored',
} as const;

export type ProducerDeps = {
  stores: Pick<Stores, 'accounts' | 'notifications'>;
  clock: Clock;
  newId: () => string;
};

/**
 * Enabled accounts whose profiles hold exactly `permission`. A parent path (`/Custom`) grants the
 * right but subscribes to nothing, as in Usercube: only people who chose this duty get mail.
 */
export async function recipientsHolding(
  stores: Pick<Stores, 'accounts'>,
  model: Pick<Model, 'profiles'>,
  permission: string,
): Promise<Account[]> {
  return (await stores.accounts.list()).filter((account) => {
    if (account.disabled) return false;
    const profiles = account.profiles.flatMap((id) => (model.profiles[id] ? [model.profiles[id]] : []));
    return notifies(permissionsOf(profiles), permission);
  });
}

/** Lines of a summary, per entity type, addressed to whoever holds that entity type's path. */
interface Section {
  readonly entityType: string;
  readonly lines: readonly string[];
  readonly count: number;
}

async function enqueuePerRecipient(
  deps: ProducerDeps,
  model: Pick<Model, 'profiles'>,
  sections: readonly Section[],
  permissionOf: (entityType: string) => string,
  compose: (sections: readonly Section[]) => { kind: string; subject: string; body: string },
): Promise<NewNotification[]> {
  const byRecipient = new Map<string, Section[]>();
  for (const section of sections) {
    for (const account of await recipientsHolding(deps.stores, model, permissionOf(section.entityType))) {
      byRecipient.set(account.login, [...(byRecipient.get(account.login) ?? []), section]);
    }
  }
  const now = deps.clock.now();
  const notifications = [...byRecipient].map(([recipient, own]) => ({
    id: deps.newId(),
    createdAt: now,
    recipient,
    ...compose(own),
  }));
  await deps.stores.notifications.enqueue(notifications);
  return notifications;
}

/**
 * After manual orders are handed off: one summary per recipient (counts per entity type and
 * resource type), to those who may perform manual provisioning for the orders' source entity type.
 * Call it inside the hand-off's transaction.
 */
export async function enqueueManualProvisioningSummary(
  deps: ProducerDeps,
  model: Pick<Model, 'profiles' | 'resourceTypes'>,
  orders: readonly ProvisioningOrder[],
): Promise<NewNotification[]> {
  const counts = new Map<string, Map<string, Record<ProvisioningOrder['changeType'], number>>>();
  for (const order of orders) {
    const entityType = model.resourceTypes[order.resourceTypeId]?.sourceEntityType;
    if (!entityType) continue;
    const perType = counts.get(entityType) ?? new Map();
    counts.set(entityType, perType);
    const c = perType.get(order.resourceTypeId) ?? { added: 0, modified: 0, deleted: 0 };
    c[order.changeType]++;
    perType.set(order.resourceTypeId, c);
  }
  const sections: Section[] = [...counts].sort(byKey).map(([entityType, perType]) => {
    const lines = [...perType].sort(byKey).map(([resourceTypeId, c]) => {
      const name = model.resourceTypes[resourceTypeId]?.displayName ?? resourceTypeId;
      return `- ${name} (${resourceTypeId}): ${c.added} to create, ${c.modified} to change, ${c.deleted} to delete`;
    });
    const count = [...perType.values()].reduce((n, c) => n + c.added + c.modified + c.deleted, 0);
    return { entityType, lines, count };
  });
  return enqueuePerRecipient(deps, model, sections, notificationPermissions.manualProvisioning, (own) => {
    const total = own.reduce((n, s) => n + s.count, 0);
    return {
      kind: 'manual_provisioning.summary',
      subject: `Manual provisioning: ${total} order(s) to perform`,
      body: [
        `${total} provisioning order(s) wait for you on Manual Provisioning.`,
        ...own.flatMap((s) => ['', `${s.entityType}:`, ...s.lines]),
      ].join('\n'),
    };
  });
}

/**
 * After a computation sent items to 5 Awaiting Approval: one summary per recipient, to those who
 * review provisioning for the items' source entity type.
 */
export async function enqueueProvisioningReviewSummary(
  deps: ProducerDeps,
  model: Pick<Model, 'profiles' | 'resourceTypes'>,
  items: readonly ProvisionedAssignment[],
): Promise<NewNotification[]> {
  const counts = new Map<string, Map<string, number>>();
  for (const item of items) {
    const entityType = model.resourceTypes[item.resourceTypeId]?.sourceEntityType;
    if (!entityType) continue;
    const perType = counts.get(entityType) ?? new Map<string, number>();
    counts.set(entityType, perType);
    perType.set(item.resourceTypeId, (perType.get(item.resourceTypeId) ?? 0) + 1);
  }
  const sections: Section[] = [...counts].sort(byKey).map(([entityType, perType]) => ({
    entityType,
    lines: [...perType]
      .sort(byKey)
      .map(([id, n]) => `- ${model.resourceTypes[id]?.displayName ?? id} (${id}): ${n} item(s)`),
    count: [...perType.values()].reduce((a, b) => a + b, 0),
  }));
  return enqueuePerRecipient(deps, model, sections, notificationPermissions.provisioningReview, (own) => {
    const total = own.reduce((n, s) => n + s.count, 0);
    return {
      kind: 'provisioning_review.summary',
      subject: `Provisioning review: ${total} new item(s) awaiting approval`,
      body: [
        `${total} new item(s) wait for your decision on Provisioning Review.`,
        ...own.flatMap((s) => ['', `${s.entityType}:`, ...s.lines]),
      ].join('\n'),
    };
  });
}

/** A job that ended in failure, as the jobs use case knows it. */
export interface FailedJob {
  readonly id: string;
  readonly kind: string;
  readonly task?: string | null;
  readonly connector?: string | null;
  readonly error?: string | null;
}

/**
 * Notifies the holders of `/Jobs/RunJob/Launch/Errored` that a job failed. The jobs use case calls
 * it in the transaction that records the failure (pass the transaction's stores).
 */
export async function notifyJobFailed(
  deps: ProducerDeps & { models: { current(): Promise<{ model: Pick<Model, 'profiles'> }> } },
  job: FailedJob,
): Promise<NewNotification[]> {
  const { model } = await deps.models.current();
  const recipients = await recipientsHolding(deps.stores, model, notificationPermissions.jobFailed);
  const what = [job.kind, job.task, job.connector].filter(Boolean).join(' ');
  const now = deps.clock.now();
  const notifications = recipients.map((account) => ({
    id: deps.newId(),
    createdAt: now,
    kind: 'job.failed',
    recipient: account.login,
    subject: `Job failed: ${what} (${job.id})`,
    body: [`The job ${job.id} (${what}) failed.`, job.error ? `\n${job.error}` : ''].join(''),
  }));
  await deps.stores.notifications.enqueue(notifications);
  return notifications;
}

function byKey<T>(a: readonly [string, T], b: readonly [string, T]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

export interface WaitingRequest {
  readonly id: string;
  /** The identity it is for, with its links (a Manager is told only about their own people). */
  readonly owner: {
    readonly id: string;
    readonly key: string;
    readonly entityType: string;
    readonly links: Readonly<Record<string, readonly string[]>>;
  };
  readonly item: string;
  readonly action: 'add' | 'remove';
  /** The step now waiting, and how many there are. */
  readonly step: number;
  readonly steps: number;
  readonly requestedBy: string;
}

/**
 * A request waits for a reviewer (just made, or one step approved and the next one open): tells
 * the holders of `/Custom/ProvisioningPolicy/ReviewRoles/{entityType}` whose scope reaches the
 * identity. Call it inside the transaction that made the request wait.
 */
export async function notifyRequestWaiting(
  deps: ProducerDeps,
  model: Pick<Model, 'profiles'>,
  request: WaitingRequest,
): Promise<NewNotification[]> {
  const permission = notificationPermissions.roleReview(request.owner.entityType);
  const scopeOf = (account: Account) =>
    identityScopeOf(
      account.profiles.flatMap((id) => (model.profiles[id] ? [model.profiles[id].scope] : [])),
      account.identityId,
    );
  const recipients = (await recipientsHolding(deps.stores, model, permission)).filter((account) =>
    inIdentityScope(scopeOf(account), request.owner),
  );
  const now = deps.clock.now();
  const notifications = recipients.map((account) => ({
    id: deps.newId(),
    createdAt: now,
    kind: 'role_review.waiting',
    recipient: account.login,
    subject: `Role review: ${request.action} ${request.item} for ${request.owner.key} (step ${request.step} of ${request.steps})`,
    body: [
      `${request.requestedBy} asked to ${request.action} ${request.item} for ${request.owner.key}.`,
      `Step ${request.step} of ${request.steps} waits for a reviewer: Role Review, ${request.owner.entityType}, request ${request.id}.`,
    ].join('\n'),
  }));
  await deps.stores.notifications.enqueue(notifications);
  return notifications;
}
