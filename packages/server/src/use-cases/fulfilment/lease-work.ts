import { type Model, orderWork, ProvisioningState, type WorkItem } from '@ordo/core';
import type { Clock } from '../../clock.ts';
import type { Stores } from '../../storage/stores.ts';
import { applyOrderMoves, type OrderMove } from './apply-order-moves.ts';
import { leasableResourceTypes } from './fulfilment-routes.ts';

export interface LeaseWorkRequest {
  readonly agent: string;
  /** Narrows to these connectors (an agent leaves out a target whose breaker is open). */
  readonly connectors?: readonly string[];
  readonly max: number;
  /** At most this many per connector; overrides `connectors`. */
  readonly slots?: Readonly<Record<string, number>>;
  /** How long the agent may hold the orders before they are offered again. */
  readonly leaseMs: number;
}

/**
 * Hands orders to an agent (DESIGN.md §2, decision 1): Pending orders move to 2 Transmitted with
 * a lease; Transmitted orders whose retry is due or whose lease expired are leased again, and an
 * expired lease marks the order "maybe applied", since the agent that held it may have written
 * before it died. Each item carries a fresh lease token: reports of an older lease are refused.
 */
export async function leaseWork(
  deps: { stores: Pick<Stores, 'orders' | 'transaction'>; clock: Clock; newId: () => string },
  model: Model,
  request: LeaseWorkRequest,
): Promise<WorkItem[]> {
  // One query per connector when the agent gives its free places per target, else one for all.
  const groups: { resourceTypeIds: string[]; limit: number }[] = request.slots
    ? Object.entries(request.slots).map(([connector, limit]) => ({
        resourceTypeIds: leasableResourceTypes(model, request.agent, [connector]),
        limit: Math.min(limit, request.max),
      }))
    : [{ resourceTypeIds: leasableResourceTypes(model, request.agent, request.connectors), limit: request.max }];
  const wanted = groups.filter((g) => g.resourceTypeIds.length > 0 && g.limit > 0);
  if (wanted.length === 0 || request.max <= 0) return [];
  const now = deps.clock.now();
  const leaseExpiresAt = new Date(Date.parse(now) + request.leaseMs).toISOString();
  const cause = { kind: 'agent' as const, id: request.agent };

  return deps.stores.transaction(async (tx) => {
    const candidates = [];
    for (const group of wanted) candidates.push(...(await tx.orders.leaseCandidates({ ...group, now })));
    const moves: OrderMove[] = [];
    const items: (WorkItem | null)[] = [];
    for (const { order, dispatch } of candidates) {
      const leaseToken = deps.newId();
      const fresh = order.state === ProvisioningState.Pending;
      // A lease that ran out while held: its agent may have written before it died.
      const abandoned = !fresh && dispatch.leaseToken !== null;
      let work: ReturnType<typeof orderWork>;
      try {
        work = orderWork(model, order);
      } catch (error) {
        const message = `cannot be sent: ${error instanceof Error ? error.message : String(error)}`;
        moves.push({
          order,
          expected: { from: order.state },
          to: ProvisioningState.Errored,
          events: fresh ? ['handed_off', 'errored'] : ['errored'],
          change: { finishedAt: now, leaseOwner: null, leaseToken: null, leaseExpiresAt: null },
          message,
        });
        items.push(null);
        continue;
      }
      const maybeApplied = dispatch.maybeApplied || abandoned;
      moves.push({
        order,
        expected: { from: order.state },
        to: ProvisioningState.Transmitted,
        events: fresh ? ['handed_off'] : [],
        change: {
          leaseOwner: request.agent,
          leaseToken,
          leaseExpiresAt,
          attempts: dispatch.attempts + 1,
          nextAttemptAt: null,
          maybeApplied,
          ...(fresh ? { transmittedAt: now } : {}),
        },
        message: fresh ? `leased by agent ${request.agent}` : null,
        ...(abandoned
          ? {
              note: {
                event: 'lease_expired',
                message: `the lease of agent ${dispatch.leaseOwner} expired; offered again`,
              },
            }
          : {}),
      });
      items.push({
        orderId: order.id,
        leaseToken,
        leaseExpiresAt,
        connector: order.connector,
        connection: work.connection,
        resourceTypeId: order.resourceTypeId,
        ownerId: order.ownerId,
        attempt: dispatch.attempts + 1,
        maybeApplied,
        operation: work.operation,
        expectation: work.expectation,
        readProperties: work.readProperties,
      });
    }
    const applied = await applyOrderMoves(tx, moves, { cause, now });
    return items.filter((item, i): item is WorkItem => item !== null && applied[i] === true);
  });
}
