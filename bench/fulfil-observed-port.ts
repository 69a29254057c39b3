import type { AgentPort, WorkReport } from '@ordo/core';

/**
 * Milliseconds since the epoch, from the same clock as the orders' `createdAt` (the server's
 * system clock), so that event times and creation times can be subtracted.
 */
export const epochMs = (): number => Date.now();

/** One synchronization an agent asked for, with when it started and when the server answered. */
export interface UploadEvent {
  readonly entityType: string;
  readonly mode: 'complete' | 'incremental';
  readonly objects: number;
  readonly startedAt: number;
  readonly endedAt: number;
}

/** One lease call: when it started and ended, how many items it asked for and got. */
export interface LeaseEvent {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly max: number;
  readonly items: number;
}

/** Calls and wall time of one port method, summed over calls (concurrent calls overlap). */
export interface CallTotals {
  calls: number;
  ms: number;
}

type PortMethod = 'lease' | 'report' | 'upload' | 'exportCookie';

/**
 * Watches the agents' ports to the server without changing them: every call goes to the real
 * agent service; the observer notes when orders were leased and reported and when uploads were
 * synchronized (epoch ms, see {@link epochMs}), sums the time of each method, and tells
 * listeners after each report or upload the server has recorded, so that the benchmark checks
 * the database when something may have become Verified instead of polling blindly.
 */
export class PortObserver {
  readonly totals: Record<PortMethod, CallTotals> = {
    lease: { calls: 0, ms: 0 },
    report: { calls: 0, ms: 0 },
    upload: { calls: 0, ms: 0 },
    exportCookie: { calls: 0, ms: 0 },
  };
  /** Order id → when the lease that handed it out returned. */
  readonly leasedAt = new Map<string, number>();
  /** Order id → when the report carrying it was sent, and when the server answered. */
  readonly reported = new Map<string, { sentAt: number; answeredAt: number }>();
  readonly uploads: UploadEvent[] = [];
  readonly leases: LeaseEvent[] = [];
  /** Work items handed out, by operation kind (create, update, delete). */
  readonly leasedKinds = new Map<string, number>();
  private readonly listeners = new Set<() => void>();

  /** `listener` runs after each report or upload the server recorded; returns an unsubscribe. */
  onRecorded(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The port `inner`, with its calls recorded here. */
  observe(inner: AgentPort): AgentPort {
    return {
      configuration: () => inner.configuration(),
      status: (report) => inner.status(report),
      lease: async (request) => {
        const startedAt = epochMs();
        const items = await this.timed('lease', () => inner.lease(request));
        const endedAt = epochMs();
        this.leases.push({ startedAt, endedAt, max: request.max, items: items.length });
        for (const item of items) {
          this.leasedAt.set(item.orderId, endedAt);
          this.leasedKinds.set(item.operation.kind, (this.leasedKinds.get(item.operation.kind) ?? 0) + 1);
        }
        return items;
      },
      report: async (reports: readonly WorkReport[]) => {
        const sentAt = epochMs();
        const verdicts = await this.timed('report', () => inner.report(reports));
        const answeredAt = epochMs();
        for (const report of reports) this.reported.set(report.orderId, { sentAt, answeredAt });
        this.announce();
        return verdicts;
      },
      exportCookie: (connection, entityType) =>
        this.timed('exportCookie', () => inner.exportCookie(connection, entityType)),
      upload: async (upload) => {
        const startedAt = epochMs();
        const outcome = await this.timed('upload', () => inner.upload(upload));
        this.uploads.push({
          entityType: upload.entityType,
          mode: upload.mode,
          objects: upload.objects.length,
          startedAt,
          endedAt: epochMs(),
        });
        this.announce();
        return outcome;
      },
    };
  }

  private announce(): void {
    for (const listener of this.listeners) listener();
  }

  private async timed<T>(name: PortMethod, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      this.totals[name].calls += 1;
      this.totals[name].ms += performance.now() - started;
    }
  }
}
