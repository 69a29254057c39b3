import type { AgentPort, WorkReport } from '@ordo/core';

/**
 * Sends reports to the server in small batches (one request and one transaction for many
 * orders). A report that cannot be delivered is kept and sent again: losing it would leave the
 * order Transmitted until its lease expired and make the next agent redo it.
 */
export class ReportBuffer {
  private pending: WorkReport[] = [];
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly port: Pick<AgentPort, 'report'>,
    private readonly log: (line: string) => void,
    private readonly options: { maxBatch: number; lingerMs: number } = { maxBatch: 200, lingerMs: 15 },
  ) {}

  /** Resolves once the report is queued (not yet delivered). */
  async add(report: WorkReport): Promise<void> {
    this.pending.push(report);
    if (this.pending.length >= this.options.maxBatch) void this.flush();
    else if (!this.timer) this.timer = setTimeout(() => void this.flush(), this.options.lingerMs);
  }

  /** Delivers everything queued, retrying until the server takes it. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.pending.length > 0 || this.flushing) await this.flush();
  }

  private flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.flushing) return this.flushing;
    this.flushing = this.deliver().finally(() => {
      this.flushing = null;
      if (this.pending.length > 0 && !this.timer)
        this.timer = setTimeout(() => void this.flush(), this.options.lingerMs);
    });
    return this.flushing;
  }

  private async deliver(): Promise<void> {
    let failures = 0;
    while (this.pending.length > 0) {
      const batch = this.pending.slice(0, this.options.maxBatch);
      try {
        const verdicts = await this.port.report(batch);
        this.pending.splice(0, batch.length);
        failures = 0;
        for (const v of verdicts) if (!v.accepted) this.log(`report for order ${v.orderId} refused: ${v.reason}`);
      } catch (error) {
        failures += 1;
        const delay = Math.min(10_000, 100 * 2 ** failures);
        this.log(
          `reporting failed (${error instanceof Error ? error.message : String(error)}); retrying in ${delay} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
        if (this.closed && failures > 20) {
          this.log(
            `giving up on ${this.pending.length} reports: their leases will expire and the orders be read and redone`,
          );
          this.pending = [];
        }
      }
    }
  }
}
