/** What a sender needs to deliver one notification. */
export interface OutgoingNotification {
  readonly id: string;
  readonly kind: string;
  /** The recipient account's login and, when it has one, email address. */
  readonly recipient: { readonly login: string; readonly email: string | null };
  readonly subject: string;
  readonly body: string;
}

/**
 * Delivers notifications (log line, email...). A sender throws to say the attempt failed; a
 * `NotificationSendError` with `permanent` says that retrying cannot help (no email address, a
 * rejected recipient), and the dispatcher gives up at once.
 */
export interface NotificationSender {
  readonly name: string;
  send(notification: OutgoingNotification): Promise<void>;
}

export class NotificationSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NotificationSendError';
  }
}

/** Longest body a log line carries; the full text stays in the outbox. */
export const loggedBodyLimit = 200;

/** The default sender: one log line per notification, addressed to the login. */
export class LogSender implements NotificationSender {
  readonly name = 'log';

  constructor(private readonly log: (line: string) => void) {}

  async send(n: OutgoingNotification): Promise<void> {
    const flat = n.body.replace(/\s+/g, ' ').trim();
    const body = flat.length > loggedBodyLimit ? `${flat.slice(0, loggedBodyLimit)}… (${flat.length} chars)` : flat;
    this.log(`notification ${n.kind} to ${n.recipient.login}: ${n.subject} — ${body}`);
  }
}
