import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { NotificationDispatcher } from '../../src/notifications/notification-dispatcher.ts';
import {
  LogSender,
  NotificationSendError,
  type NotificationSender,
  type OutgoingNotification,
} from '../../src/notifications/notification-sender.ts';
import { type Database, openDatabase } from '../../src/storage/database.ts';
import { createStores, type Stores } from '../../src/storage/stores.ts';
import { openTestDatabase, type TestDialect } from '../support/test-database.ts';

const start = '2026-11-28T09:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(start) + ms).toISOString();

class RecordingSender implements NotificationSender {
  readonly name = 'recording';
  readonly sent: OutgoingNotification[] = [];
  failures: Error[] = [];
  /** Failures for one notification (by id), in order; used before `failures`. */
  readonly failuresFor = new Map<string, Error[]>();
  async send(n: OutgoingNotification): Promise<void> {
    // Yield so that two dispatchers interleave between claim and send.
    await new Promise((resolve) => setImmediate(resolve));
    const failure = this.failuresFor.get(n.id)?.shift() ?? this.failures.shift();
    if (failure) throw failure;
    this.sent.push(n);
  }
}

describe.each(['sqlite', 'postgres'] as TestDialect[])('notification outbox on %s', (dialect) => {
  let database: Database & { url: string };
  let stores: Stores;
  const clock = fixedClock(start);

  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    stores = createStores(database);
    await stores.accounts.create({
      id: 'a-ops',
      login: 'ops',
      displayName: 'Ops',
      email: 'ops@example.org',
      profiles: [],
      at: start,
    });
  });
  afterAll(() => database.close());
  beforeEach(async () => {
    clock.set(start);
    await stores.database.db.deleteFrom('notifications').execute();
  });

  const enqueue = async (count: number, recipient = 'ops') => {
    const ids = Array.from({ length: count }, () => randomUUID());
    await stores.notifications.enqueue(
      ids.map((id, i) => ({ id, createdAt: clock.now(), kind: 'test', recipient, subject: `s${i}`, body: `b${i}` })),
    );
    return ids;
  };

  it('retries a failing sender with exponential backoff, then marks it failed', async () => {
    const [id] = await enqueue(1);
    const sender = new RecordingSender();
    sender.failures = [new Error('relay down'), new Error('relay down'), new Error('relay still down')];
    const dispatcher = new NotificationDispatcher({
      stores,
      clock,
      sender,
      log: () => {},
      maxAttempts: 3,
      backoffMs: (attempt) => 60_000 * 2 ** (attempt - 1),
    });
    expect(await dispatcher.runOnce()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    let row = await stores.notifications.get(id as string);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: at(60_000), lastError: 'relay down' });
    // Not due yet: nothing is attempted.
    clock.set(at(59_000));
    expect(await dispatcher.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    clock.set(at(60_000));
    expect(await dispatcher.runOnce()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    row = await stores.notifications.get(id as string);
    // The second wait doubles: 120 s after the second attempt.
    expect(row).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: at(180_000) });
    clock.set(at(180_000));
    expect(await dispatcher.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    row = await stores.notifications.get(id as string);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, nextAttemptAt: null, lastError: 'relay still down' });
    clock.set(at(10_000_000));
    expect(await dispatcher.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(sender.sent).toHaveLength(0);
  });

  it('sends after a transient failure, and gives up at once on a permanent one', async () => {
    const [transient, permanent] = await enqueue(2);
    const sender = new RecordingSender();
    sender.failuresFor.set(transient as string, [new Error('timeout')]);
    sender.failuresFor.set(permanent as string, [new NotificationSendError('no such mailbox', true)]);
    const dispatcher = new NotificationDispatcher({ stores, clock, sender, log: () => {}, backoffMs: () => 1000 });
    expect(await dispatcher.runOnce()).toEqual({ sent: 0, retrying: 1, failed: 1 });
    expect(await stores.notifications.get(permanent as string)).toMatchObject({ status: 'failed', attempts: 1 });
    clock.set(at(1000));
    expect(await dispatcher.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(await stores.notifications.get(transient as string)).toMatchObject({
      status: 'sent',
      attempts: 2,
      sentAt: at(1000),
      lastError: null,
    });
    expect(sender.sent.map((n) => n.recipient)).toEqual([{ login: 'ops', email: 'ops@example.org' }]);
  });

  it('two dispatchers on two connections never send one notification twice', async () => {
    const ids = await enqueue(120);
    const second = await openDatabase(
      dialect === 'sqlite' ? { url: database.url } : { url: database.url, schema: database.schema as string },
    );
    try {
      const senders = [new RecordingSender(), new RecordingSender()];
      const dispatchers = [stores, createStores(second)].map(
        (s, i) =>
          new NotificationDispatcher({
            stores: s,
            clock,
            sender: senders[i] as RecordingSender,
            log: () => {},
            batchSize: 7,
          }),
      );
      for (let round = 0; round < 40; round++) {
        const passes = await Promise.all(dispatchers.map((d) => d.runOnce()));
        if (passes.every((p) => p.sent === 0)) break;
      }
      const sent = senders.flatMap((s) => s.sent.map((n) => n.id));
      expect(sent).toHaveLength(120);
      expect(new Set(sent)).toEqual(new Set(ids));
      const statuses = await stores.notifications.list({ limit: 500 });
      expect(statuses.every((n) => n.status === 'sent' && n.attempts === 1)).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('a claim that lapses (its dispatcher died mid-send) is taken over once it expires', async () => {
    const [id] = await enqueue(1);
    const claimed = await stores.notifications.claimDue(clock.now(), 10, at(120_000));
    expect(claimed.map((n) => n.id)).toEqual([id]);
    const sender = new RecordingSender();
    const dispatcher = new NotificationDispatcher({ stores, clock, sender, log: () => {} });
    expect(await dispatcher.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    clock.set(at(120_000));
    expect(await dispatcher.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    // The dead dispatcher's late report loses: the row stays sent by the one that took over.
    expect(await stores.notifications.markAttemptFailed(id as string, 1, 'late', null)).toBe(false);
    expect(await stores.notifications.get(id as string)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('lists newest first with a cursor and a status filter', async () => {
    for (let i = 0; i < 5; i++) {
      clock.set(at(i * 1000));
      await enqueue(1);
    }
    const firstPage = await stores.notifications.list({ limit: 2 });
    expect(firstPage.map((n) => n.subject)).toEqual(['s0', 's0']);
    expect(firstPage.map((n) => n.createdAt)).toEqual([at(4000), at(3000)]);
    const last = firstPage[1];
    const next = await stores.notifications.list({
      limit: 10,
      ...(last ? { before: { createdAt: last.createdAt, id: last.id } } : {}),
    });
    expect(next.map((n) => n.createdAt)).toEqual([at(2000), at(1000), at(0)]);
    expect(await stores.notifications.list({ status: 'sent', limit: 10 })).toEqual([]);
  });
});

describe('LogSender', () => {
  it('writes one line addressed to the login, and shortens a long body', async () => {
    const lines: string[] = [];
    const sender = new LogSender((line) => lines.push(line));
    await sender.send({
      id: 'n1',
      kind: 'manual_provisioning.summary',
      recipient: { login: 'resources', email: null },
      subject: 'Manual provisioning: 3 order(s) to perform',
      body: `first line\n${'x'.repeat(1000)}`,
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('to resources: Manual provisioning: 3 order(s) to perform');
    expect(lines[0]?.length).toBeLessThan(400);
    expect(lines[0]).toContain('(1011 chars)');
  });
});
