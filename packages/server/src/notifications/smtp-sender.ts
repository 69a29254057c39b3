import nodemailer, { type Transporter } from 'nodemailer';
import { NotificationSendError, type NotificationSender, type OutgoingNotification } from './notification-sender.ts';

export interface SmtpSenderOptions {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  readonly secure?: boolean;
  /** Plain connection even if the server offers STARTTLS (a loopback relay). */
  readonly ignoreTls?: boolean;
  readonly auth?: { readonly user: string; readonly pass: string };
  /** The From address, e.g. `Ordo <ordo@example.org>`. */
  readonly from: string;
  /** Milliseconds to wait for the connection and each reply before the attempt fails. */
  readonly timeoutMs?: number;
}

/** Sends notifications as plain-text email through an SMTP relay (nodemailer). */
export class SmtpSender implements NotificationSender {
  readonly name = 'smtp';
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpSenderOptions) {
    const timeout = options.timeoutMs ?? 15_000;
    this.transport = nodemailer.createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure ?? false,
      ignoreTLS: options.ignoreTls ?? false,
      ...(options.auth ? { auth: { user: options.auth.user, pass: options.auth.pass } } : {}),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async send(n: OutgoingNotification): Promise<void> {
    if (!n.recipient.email) {
      throw new NotificationSendError(`account ${n.recipient.login} has no email address`, true);
    }
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: n.recipient.email,
        subject: n.subject,
        text: n.body,
        headers: { 'X-Ordo-Notification': `${n.kind} ${n.id}` },
      });
    } catch (error) {
      // 5xx replies are the server's final word about this message; anything else may pass later.
      const code = (error as { responseCode?: number }).responseCode;
      const permanent = typeof code === 'number' && code >= 500 && code < 600;
      throw new NotificationSendError(
        `SMTP delivery to ${n.recipient.email} failed: ${error instanceof Error ? error.message : String(error)}`,
        permanent,
        { cause: error },
      );
    }
  }

  close(): void {
    this.transport.close();
  }
}
