import type { Cause } from '@ordo/core';
import type { Clock } from '../clock.ts';
import type { PipelineNotifications } from '../notifications/pipeline-notifications.ts';
import { provisioningLockName, withClusterLock } from '../storage/cluster-lock.ts';
import type { Stores } from '../storage/stores.ts';
import type { AppliedModelCache } from '../use-cases/applied-model-cache.ts';
import { ComputeContext } from '../use-cases/compute-context.ts';
import { computeRoleModel } from '../use-cases/compute-role-model.ts';
import { handOffManualOrders } from '../use-cases/fulfilment/manual-orders.ts';
import { generateOrders } from '../use-cases/generate-orders.ts';
import type { WorkSignal } from './work-signal.ts';

export interface PipelineRun {
  readonly identities: number;
  readonly orders: number;
  readonly blocked: boolean;
  readonly manual: number;
}

export interface PipelineDeps {
  readonly stores: Stores;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly signal: WorkSignal;
  readonly models: AppliedModelCache;
  readonly log: (line: string) => void;
  /** Announces manual hand-offs and new review items through the notification outbox. */
  readonly notifications?: PipelineNotifications;
}

const cause: Cause = { kind: 'event', id: 'pipeline' };

/**
 * The event-driven path of DESIGN.md §1: after a synchronization (or anything that marks
 * identities dirty) compute the dirty identities, generate their orders, queue manual ones and
 * wake the agents. Requests that arrive during a run are merged into one more run, so a burst of
 * changes costs two runs, not one per change; a run's failure is logged and the next request
 * tries again.
 */
export class ProvisioningPipeline {
  private running: Promise<void> | null = null;
  private again = false;
  private context: { version: number; context: ComputeContext } | null = null;
  private targetsStale = false;
  lastRun: PipelineRun | null = null;

  constructor(private readonly deps: PipelineDeps) {}

  /** Resolves once a run that started after this call has finished. */
  request(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop();
    return this.running;
  }

  /** Accounts or groups changed outside a computation (synchronized, created, deleted). */
  markTargetsChanged(): void {
    this.targetsStale = true;
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        try {
          // Server nodes on one PostgreSQL take turns: two runs at once would both generate
          // orders for the same pending assignments.
          this.lastRun = await withClusterLock(this.deps.stores.database, provisioningLockName, () => this.runOnce());
        } catch (error) {
          this.deps.log(`provisioning pipeline failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      } while (this.again);
    } finally {
      this.running = null;
    }
  }

  private async runOnce(): Promise<PipelineRun> {
    const { stores, clock } = this.deps;
    const { model, version } = await this.deps.models.current();
    if (!this.context || this.context.version !== version) {
      this.context = { version, context: ComputeContext.create(model, stores) };
    } else if (this.targetsStale || this.deps.stores.database.dialect === 'postgres') {
      // On PostgreSQL other server nodes may have computed (reserving unique values) or recorded
      // accounts since this context was loaded, and no event of theirs reaches this process:
      // reload. It costs one read of the targets per run, not a wrong login or a duplicate order.
      this.context.context.invalidate();
    }
    this.targetsStale = false;
    const watermark = await this.deps.notifications?.watermark();
    const computed = await computeRoleModel({ stores, clock }, this.context.context, {
      scope: { kind: 'dirty' },
      cause,
    });
    const generated = await generateOrders({ stores, clock }, model, { cause, newId: this.deps.newId });
    const manual = await handOffManualOrders(
      { stores, clock },
      model,
      cause,
      this.deps.notifications?.manualQueued(model),
    );
    if (this.deps.notifications && watermark !== undefined) await this.deps.notifications.reviewSince(model, watermark);
    const orders = generated.status === 'completed' ? generated.orders.length : 0;
    if (generated.status === 'blocked') {
      this.deps.log(
        `order generation ${generated.runId} is blocked by a threshold: resume it with \`ordo orders generate --resume\``,
      );
    }
    if (orders > 0) this.deps.signal.notify();
    return { identities: computed.identities, orders, blocked: generated.status === 'blocked', manual };
  }
}
