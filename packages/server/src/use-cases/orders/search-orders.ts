import type { ConnectorFailure, LedgerEntry, ProvisioningOrder, ProvisioningState } from '@ordo/core';
import type { DispatchedOrder, OrderDispatch } from '../../storage/order-store.ts';
import type { Stores } from '../../storage/stores.ts';
import { OrderNotFoundError, orderTimeline } from '../order-timeline.ts';
import { decodeTimeCursor, encodeTimeCursor } from '../page-cursor.ts';
import { UseCaseError } from '../use-case-error.ts';

/** An order as the Orders screen shows it: what it does, where it is, and its owner's key. */
export interface OrderView extends ProvisioningOrder {
  readonly ownerKey: string | null;
  readonly dispatch: OrderDispatch;
}

export interface OrderQuery {
  readonly states?: readonly ProvisioningState[];
  readonly connectors?: readonly string[];
  readonly resourceTypeIds?: readonly string[];
  readonly ownerId?: string;
  readonly createdFrom?: string;
  readonly createdTo?: string;
  readonly cursor?: string;
  readonly limit: number;
}

export interface OrderPage {
  readonly items: OrderView[];
  /** Give it back as `cursor` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

type SearchDeps = { stores: Pick<Stores, 'orders' | 'orderSearch' | 'resources'> };

/** Orders matching every given filter, newest first, one page at a time. */
export async function searchOrders(deps: SearchDeps, query: OrderQuery): Promise<OrderPage> {
  const before = decodeTimeCursor(query.cursor);
  const found = await deps.stores.orderSearch.search({
    ...(query.states ? { states: query.states } : {}),
    ...(query.connectors ? { connectors: query.connectors } : {}),
    ...(query.resourceTypeIds ? { resourceTypeIds: query.resourceTypeIds } : {}),
    ...(query.ownerId !== undefined ? { ownerId: query.ownerId } : {}),
    ...(query.createdFrom !== undefined ? { createdFrom: query.createdFrom } : {}),
    ...(query.createdTo !== undefined ? { createdTo: query.createdTo } : {}),
    ...(before ? { before } : {}),
    limit: query.limit + 1,
  });
  const page = found.slice(0, query.limit);
  const items = await viewsOf(deps, await deps.stores.orders.getDispatched(page.map((f) => f.id)));
  const last = page.at(-1);
  return { items, nextCursor: found.length > query.limit && last ? encodeTimeCursor(last) : null };
}

/** Orders with their owners' keys, in the given order. */
export async function viewsOf(
  deps: { stores: Pick<Stores, 'resources'> },
  dispatched: readonly DispatchedOrder[],
): Promise<OrderView[]> {
  const owners = await deps.stores.resources.getMany([...new Set(dispatched.map((d) => d.order.ownerId))]);
  const keys = new Map(owners.map((o) => [o.id, o.key]));
  return dispatched.map(({ order, dispatch }) => ({ ...order, ownerKey: keys.get(order.ownerId) ?? null, dispatch }));
}

export interface OrderDetail {
  readonly order: OrderView;
  /** How its values came to be computed, reviewed, ordered, sent and verified, oldest first. */
  readonly timeline: readonly LedgerEntry[];
}

/** One order with its hand-off details and its timeline from the order ledger. */
export async function getOrder(
  deps: { stores: Pick<Stores, 'orders' | 'ledger' | 'resources'> },
  orderId: string,
): Promise<OrderDetail> {
  try {
    const timeline = await orderTimeline(deps, orderId);
    const [dispatched] = await deps.stores.orders.getDispatched([orderId]);
    if (!dispatched) throw new OrderNotFoundError(orderId);
    return {
      order: { ...dispatched.order, ownerKey: timeline.owner?.key ?? null, dispatch: dispatched.dispatch },
      timeline: timeline.entries,
    };
  } catch (error) {
    if (error instanceof OrderNotFoundError) {
      throw new UseCaseError('not_found', 'ORDER_NOT_FOUND', `order ${orderId} does not exist`);
    }
    throw error;
  }
}

/** Errored orders of one connector and one kind of error. */
export interface ErrorGroup {
  readonly connector: string;
  /**
   * The connector failure's kind (`unreachable`, `rejected`…), `manual` for a person's report on
   * a manual ticket, `verification` for a read-back that disagreed, `watchdog` for a silent order.
   */
  readonly kind: string;
  readonly count: number;
  readonly oldestAt: string;
  readonly newestAt: string;
  /** The newest few, to see what went wrong without opening the group. */
  readonly examples: { orderId: string; ownerId: string; resourceTypeId: string; message: string; createdAt: string }[];
}

/** Kind of an errored order's failure, for grouping. */
export function errorKindOf(lastError: ConnectorFailure | null): string {
  return lastError?.kind?.trim() || 'unknown';
}

/** Orders the inbox reads at most; beyond, the answer says it is truncated. */
const inboxScanLimit = 50_000;
const scanPage = 1_000;

/**
 * The errors inbox: every errored order, grouped by connector and error kind, with counts and the
 * newest examples; groups with the most orders first.
 */
export async function errorsInbox(
  deps: { stores: Pick<Stores, 'orders' | 'orderSearch'> },
  options: { examples: number },
): Promise<{ groups: ErrorGroup[]; total: number; truncated: boolean }> {
  const groups = new Map<string, { group: { -readonly [K in keyof ErrorGroup]: ErrorGroup[K] } }>();
  let before: { createdAt: string; id: string } | undefined;
  let total = 0;
  for (;;) {
    const page = await deps.stores.orderSearch.search({ states: [3], ...(before ? { before } : {}), limit: scanPage });
    if (page.length === 0) break;
    for (const { order, dispatch } of await deps.stores.orders.getDispatched(page.map((p) => p.id))) {
      const kind = errorKindOf(dispatch.lastError);
      const key = JSON.stringify([order.connector, kind]);
      let entry = groups.get(key);
      if (!entry) {
        entry = {
          group: {
            connector: order.connector,
            kind,
            count: 0,
            oldestAt: order.createdAt,
            newestAt: order.createdAt,
            examples: [],
          },
        };
        groups.set(key, entry);
      }
      const g = entry.group;
      g.count += 1;
      // Pages come newest first: the first seen is the newest, the last the oldest.
      g.oldestAt = order.createdAt;
      if (g.examples.length < options.examples) {
        g.examples.push({
          orderId: order.id,
          ownerId: order.ownerId,
          resourceTypeId: order.resourceTypeId,
          message: dispatch.lastError?.message ?? '',
          createdAt: order.createdAt,
        });
      }
    }
    total += page.length;
    const last = page.at(-1);
    if (page.length < scanPage || !last || total >= inboxScanLimit) break;
    before = last;
  }
  const list = [...groups.values()]
    .map((e) => e.group)
    .sort((a, b) => b.count - a.count || compareText(a.connector, b.connector) || compareText(a.kind, b.kind));
  return { groups: list, total, truncated: total >= inboxScanLimit };
}

/** Ids of the errored orders of one group of the inbox. */
export async function erroredOrdersOfGroup(
  deps: { stores: Pick<Stores, 'orders' | 'orderSearch'> },
  group: { connector: string; kind: string },
): Promise<string[]> {
  const ids: string[] = [];
  let before: { createdAt: string; id: string } | undefined;
  for (;;) {
    const page = await deps.stores.orderSearch.search({
      states: [3],
      connectors: [group.connector],
      ...(before ? { before } : {}),
      limit: scanPage,
    });
    for (const { order, dispatch } of await deps.stores.orders.getDispatched(page.map((p) => p.id))) {
      if (errorKindOf(dispatch.lastError) === group.kind) ids.push(order.id);
    }
    const last = page.at(-1);
    if (page.length < scanPage || !last || ids.length >= inboxScanLimit) return ids;
    before = last;
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
