import type { Model, ProvisionedAssignment, ProvisioningOrder } from '@ordo/core';
import type { Clock } from '../clock.ts';
import type { Stores } from '../storage/stores.ts';
import { enqueueManualProvisioningSummary, enqueueProvisioningReviewSummary } from './notification-producers.ts';

/**
 * What the provisioning pipeline announces: manual orders handed off (enqueued in the hand-off's
 * transaction), and items a computation sent to 5 Awaiting Approval (found through the order
 * ledger lines written after the run's watermark).
 */
export class PipelineNotifications {
  constructor(
    private readonly deps: {
      stores: Pick<Stores, 'accounts' | 'notifications' | 'assignments'>;
      clock: Clock;
      newId: () => string;
    },
  ) {}

  /** Pass to `handOffManualOrders`. */
  manualQueued(model: Model): (tx: Stores, orders: readonly ProvisioningOrder[]) => Promise<void> {
    return async (tx, orders) => {
      await enqueueManualProvisioningSummary({ ...this.deps, stores: tx }, model, orders);
    };
  }

  /** Call before computing: the ledger line after which new review items are looked for. */
  watermark(): Promise<number> {
    return this.deps.stores.notifications.ledgerWatermark();
  }

  /** Enqueues the review summary of items that entered 5 after `watermark` and are still there. */
  async reviewSince(model: Model, watermark: number): Promise<number> {
    const ids = await this.deps.stores.notifications.awaitingApprovalSince(watermark);
    if (ids.length === 0) return 0;
    const items: ProvisionedAssignment[] = (await this.deps.stores.assignments.getProvisioned(ids)).filter(
      (a) => a.provisioningState === 5,
    );
    if (items.length === 0) return 0;
    return (await enqueueProvisioningReviewSummary(this.deps, model, items)).length;
  }
}
