import type { Clock } from '../clock.ts';
import type { Stores } from '../storage/stores.ts';
import { NotificationSendError, type NotificationSender } from './notification-sender.ts';

export interface NotificationDispatcherOptions {
  readonly stores: Pick<Stores, 'notifications' | 'accounts'>;
  readonly clock: Clock;
  readonly sender: NotificationSender;
  readonly log: (line: string) => void;
  /** How often `start` polls the outbox. Default 5 s. */
  readonly pollMs?: number;
  /** Notifications claimed per pass. Default 50. */
  readonly batchSize?: number;
  /** Attempts before a notification is `failed`. Default 6. */
  readonly maxAttempts?: number;
  /** Wait before the retry after attempt n (1-based). Default 30 s doubling, capped at 1 h. */
  readonly backoffMs?: (attempt: number) => number;
  /** How long a claim holds before another dispatcher may take the notification over. Default 2 min. */
  readonly claimMs?: number;
}

export interface DispatchPass {
  readonly sent: number;
  readonly retrying: number;
  readonly failed: number;
}

export const defaultNotificationBackoff = (attempt: number): number =>
  Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);

/**
 * Drains the notification outbox through a sender, with retries and exponential backoff. Several
 * dispatchers (server processes) may run on one database: each notification is claimed with a
 * compare-and-set before it is sent, so it is sent once unless a dispatcher dies between sending
 * and recording it (then its claim lapses and another sends it again: at least once).
 */
export class NotificationDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<DispatchPass> | null = null;
  private readonly maxAttempts: number;
  private readonly backoffMs: (attempt: number) => number;

  constructor(private readonly options: NotificationDispatcherOptions) {
    this.maxAttempts = options.maxAttempts ?? 6;
    this.backoffMs = options.backoffMs ?? defaultNotificationBackoff;
  }

  /** Polls the outbox until `stop`. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.runOnce().catch((error) =>
        this.options.log(`notification dispatch failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    }, this.options.pollMs ?? 5_000);
    this.timer.unref();
  }

  /** Stops polling and waits for the pass in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
  }

  /** One pass over the due notifications; a pass already running is joined, not doubled. */
  runOnce(): Promise<DispatchPass> {
    if (!this.running) {
      this.running = this.pass().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async pass(): Promise<DispatchPass> {
    const { stores, clock, sender, log } = this.options;
    const result = { sent: 0, retrying: 0, failed: 0 };
    const now = clock.now();
    const claimUntil = new Date(Date.parse(now) + (this.options.claimMs ?? 120_000)).toISOString();
    const claimed = await stores.notifications.claimDue(now, this.options.batchSize ?? 50, claimUntil);
    for (const n of claimed) {
      const account = await stores.accounts.byLogin(n.recipient);
      try {
        await sender.send({
          id: n.id,
          kind: n.kind,
          recipient: { login: n.recipient, email: account?.email ?? null },
          subject: n.subject,
          body: n.body,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const permanent = error instanceof NotificationSendError && error.permanent;
        const retryAt =
          permanent || n.attempts >= this.maxAttempts
            ? null
            : new Date(Date.parse(clock.now()) + this.backoffMs(n.attempts)).toISOString();
        await stores.notifications.markAttemptFailed(n.id, n.attempts, message, retryAt);
        if (retryAt === null) {
          result.failed++;
          log(`notification ${n.id} (${n.kind} to ${n.recipient}) failed after ${n.attempts} attempt(s): ${message}`);
        } else {
          result.retrying++;
        }
        continue;
      }
      await stores.notifications.markSent(n.id, n.attempts, clock.now());
      result.sent++;
    }
    return result;
  }
}
