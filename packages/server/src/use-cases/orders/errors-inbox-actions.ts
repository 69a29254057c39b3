import type { Clock } from '../../clock.ts';
import type { Stores } from '../../storage/stores.ts';
import { UseCaseError } from '../use-case-error.ts';
import {
  actOnErroredOrders,
  afterRetry,
  type ErroredAction,
  type ErroredActionResult,
} from './errored-order-actions.ts';
import { erroredOrdersOfGroup } from './search-orders.ts';

/** Which errored orders a bulk action of the errors inbox takes: a list of ids, or a whole group. */
export type InboxSelection =
  | { readonly orderIds: readonly string[] }
  | { readonly group: { readonly connector: string; readonly kind: string } };

export type InboxDeps = {
  stores: Pick<Stores, 'orders' | 'orderSearch' | 'transaction'>;
  clock: Clock;
  signal: { notify(): void };
  pipeline: { request(): Promise<void> };
};

/**
 * Bulk retry (→ 1 Pending, agents woken) or dismiss (→ 6 Inactive) from the errors inbox. A group
 * is resolved to its orders when the action runs; orders that left 3 Errored meanwhile are
 * reported as skipped (per-item results, see `actOnErroredOrders`).
 */
export async function actOnErrorsInbox(
  deps: InboxDeps,
  action: ErroredAction,
  selection: InboxSelection,
  actor: string,
): Promise<ErroredActionResult> {
  const ids = 'orderIds' in selection ? selection.orderIds : await erroredOrdersOfGroup(deps, selection.group);
  if ('group' in selection && ids.length === 0) {
    throw new UseCaseError(
      'not_found',
      'ERROR_GROUP_EMPTY',
      `no errored order of connector ${selection.group.connector} has an error of kind ${selection.group.kind}`,
    );
  }
  const result = await actOnErroredOrders(deps, action, ids, actor);
  if (action === 'retry') await afterRetry(deps, result.applied);
  return result;
}
