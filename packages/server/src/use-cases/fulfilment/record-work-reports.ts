import {
  type Model,
  orderWork,
  ProvisioningState,
  type ReportVerdict,
  verifyReadBack,
  type WorkReport,
} from '@ordo/core';
import type { Clock } from '../../clock.ts';
import type { DispatchedOrder } from '../../storage/order-store.ts';
import type { Stores } from '../../storage/stores.ts';
import { resourceIdFor } from '../resource-id.ts';
import { applyOrderMoves, type OrderMove } from './apply-order-moves.ts';
import { objectToResource } from './object-resource.ts';

/**
 * Records what an agent did (DESIGN.md §2, decisions 2–4): Executed with a read-back that matches
 * → 4 Verified; a read-back that disagrees → 3 Errored with expected and found values; no
 * read-back → 8 Executed, for synchronization to verify; a transient failure keeps the order
 * Transmitted with its next attempt time; a permanent one → 3 Errored. Only the holder of the
 * current lease is heard, so an agent that lost its lease cannot overwrite a newer outcome.
 */
export async function recordWorkReports(
  deps: { stores: Pick<Stores, 'orders' | 'transaction'>; clock: Clock },
  model: Model,
  agent: string,
  reports: readonly WorkReport[],
): Promise<RecordedReport[]> {
  const now = deps.clock.now();
  const dispatched = await deps.stores.orders.getDispatched(reports.map((r) => r.orderId));
  const byId = new Map(dispatched.map((d) => [d.order.id, d]));
  const verdicts: RecordedReport[] = [];
  const moves: OrderMove[] = [];
  const moveIndex: number[] = [];
  reports.forEach((report, index) => {
    const found = byId.get(report.orderId);
    const refusal = refuse(found, report, agent);
    if (refusal || !found) {
      verdicts.push({ orderId: report.orderId, accepted: false, reason: refusal ?? 'unknown order' });
      return;
    }
    const move = moveFor(model, found, report, now);
    verdicts.push({
      orderId: report.orderId,
      accepted: true,
      outcome: {
        connector: found.order.connector,
        to: move.to,
        createdAt: found.order.createdAt,
        transmittedAt: found.dispatch.transmittedAt,
      },
    });
    moves.push(move);
    moveIndex.push(index);
  });
  const applied = await applyOrderMoves(deps.stores, moves, { cause: { kind: 'agent', id: agent }, now });
  applied.forEach((ok, i) => {
    if (!ok) {
      const index = moveIndex[i] as number;
      verdicts[index] = {
        orderId: reports[index]?.orderId ?? '',
        accepted: false,
        reason: 'the order moved on meanwhile',
      };
    }
  });
  return verdicts;
}

/** A verdict, and for an accepted report what became of the order (for metrics). */
export interface RecordedReport extends ReportVerdict {
  readonly outcome?: {
    readonly connector: string;
    readonly to: ProvisioningState;
    readonly createdAt: string;
    readonly transmittedAt: string | null;
  };
}

function refuse(found: DispatchedOrder | undefined, report: WorkReport, agent: string): string | undefined {
  if (!found) return 'unknown order';
  if (found.order.state !== ProvisioningState.Transmitted) return `the order is in state ${found.order.state}, not 2`;
  if (found.dispatch.leaseToken !== report.leaseToken || found.dispatch.leaseOwner !== agent) {
    return 'the lease is no longer held by this agent';
  }
  return undefined;
}

const releaseLease = { leaseOwner: null, leaseToken: null, leaseExpiresAt: null } as const;

function moveFor(model: Model, { order, dispatch }: DispatchedOrder, report: WorkReport, now: string): OrderMove {
  const expected = { from: ProvisioningState.Transmitted, leaseToken: report.leaseToken };
  if (report.outcome === 'retry') {
    const nextAttemptAt = new Date(Date.parse(now) + Math.max(0, report.delayMs)).toISOString();
    return {
      order,
      expected,
      to: ProvisioningState.Transmitted,
      events: [],
      change: {
        ...releaseLease,
        nextAttemptAt,
        lastError: report.error,
        maybeApplied: dispatch.maybeApplied || report.error.applied === 'maybe',
      },
      message: null,
      note: {
        event: 'attempt_failed',
        message: `attempt ${dispatch.attempts} failed (${report.error.kind}${report.error.applied === 'maybe' ? ', maybe applied' : ''}): ${report.error.message}; next attempt at ${nextAttemptAt}`,
      },
    };
  }
  if (report.outcome === 'errored') {
    return {
      order,
      expected,
      to: ProvisioningState.Errored,
      events: ['errored'],
      change: { ...releaseLease, lastError: report.error, finishedAt: now, nextAttemptAt: null },
      message: `${report.error.kind}: ${report.error.message}`,
    };
  }

  const executed = { ...releaseLease, executedAt: now, resultKey: report.key, nextAttemptAt: null };
  if (report.readBack === undefined) {
    return {
      order,
      expected,
      to: ProvisioningState.Executed,
      events: ['executed'],
      change: executed,
      message: `executed; not verified yet (${report.readError ?? 'the connector cannot read back'}): synchronization will verify it`,
    };
  }
  const work = orderWork(model, order);
  const verification = verifyReadBack(work.expectation, report.readBack);
  if (!verification.verified) {
    const message = `verification failed: ${verification.mismatches.join('; ')}`;
    return {
      order,
      expected,
      to: ProvisioningState.Errored,
      events: ['executed', 'verification_failed'],
      change: {
        ...executed,
        finishedAt: now,
        lastError: { message, kind: 'verification', applied: 'maybe', retryable: false },
      },
      message,
    };
  }
  const targetEntityType = model.resourceTypes[order.resourceTypeId]?.targetEntityType;
  const resource = report.readBack && objectToResource(model, report.readBack);
  const created = order.changeType === 'added' && resource ? resource.id : undefined;
  const { createOnly } = work;
  return {
    order,
    expected,
    to: ProvisioningState.Verified,
    events: ['executed', 'verified'],
    change: { ...executed, finishedAt: now, lastError: null, maybeApplied: false },
    message: report.changed ? 'verified by read-back' : 'verified by read-back (the system already held these values)',
    ...(createOnly.size ? { createOnly } : {}),
    ...(created ? { createdTargetId: created } : {}),
    ...(resource ? { upsertResource: resource } : {}),
    ...(order.changeType === 'deleted'
      ? { deleteResourceId: order.targetResourceId ?? resourceIdFor(targetEntityType ?? '', order.targetKey ?? '') }
      : {}),
  };
}
