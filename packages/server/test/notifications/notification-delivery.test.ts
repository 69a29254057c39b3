import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { NotificationDispatcher } from '../../src/notifications/notification-dispatcher.ts';
import { notifyJobFailed, recipientsHolding } from '../../src/notifications/notification-producers.ts';
import { SmtpSender } from '../../src/notifications/smtp-sender.ts';
import type { Database } from '../../src/storage/database.ts';
import { createStores, type Stores } from '../../src/storage/stores.ts';
import { type ApiFixture, personId, startApiFixture } from '../api/api-fixture.ts';
import { openTestDatabase } from '../support/test-database.ts';

interface Received {
  readonly from: string;
  readonly to: string[];
  readonly data: string;
}

/** A real SMTP server on loopback that keeps what it receives. */
async function startSmtpServer(): Promise<{ port: number; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('SMTP delivery', () => {
  let database: Database;
  let stores: Stores;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const clock = fixedClock('2026-11-28T09:00:00.000Z');

  beforeAll(async () => {
    smtp = await startSmtpServer();
    database = await openTestDatabase('sqlite');
    stores = createStores(database);
    for (const [login, email] of [
      ['alice', 'alice@example.org'],
      ['bob', null],
    ] as const) {
      await stores.accounts.create({
        id: `a-${login}`,
        login,
        displayName: login,
        email,
        profiles: [],
        at: clock.now(),
      });
    }
  });
  afterAll(async () => {
    await smtp.close();
    await database.close();
  });

  it('delivers to the account email through a real SMTP server, and fails at once without an address', async () => {
    const [toAlice, toBob] = [randomUUID(), randomUUID()];
    await stores.notifications.enqueue([
      {
        id: toAlice,
        createdAt: clock.now(),
        kind: 'test',
        recipient: 'alice',
        subject: 'Ordo says hi',
        body: 'Line one\nLine two',
      },
      { id: toBob, createdAt: clock.now(), kind: 'test', recipient: 'bob', subject: 'Nobody reads this', body: 'x' },
    ]);
    const sender = new SmtpSender({ host: '127.0.0.1', port: smtp.port, ignoreTls: true, from: 'ordo@example.org' });
    const dispatcher = new NotificationDispatcher({ stores, clock, sender, log: () => {} });
    try {
      expect(await dispatcher.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 1 });
    } finally {
      sender.close();
    }
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]).toMatchObject({ from: 'ordo@example.org', to: ['alice@example.org'] });
    expect(smtp.received[0]?.data).toContain('Subject: Ordo says hi');
    expect(smtp.received[0]?.data).toContain('Line one');
    expect(smtp.received[0]?.data).toContain(`X-Ordo-Notification: test ${toAlice}`);
    expect(await stores.notifications.get(toAlice)).toMatchObject({ status: 'sent' });
    expect(await stores.notifications.get(toBob)).toMatchObject({
      status: 'failed',
      lastError: 'account bob has no email address',
    });
  });

  it('an unreachable relay is a transient failure: the notification waits for its retry', async () => {
    const id = randomUUID();
    await stores.notifications.enqueue([
      { id, createdAt: clock.now(), kind: 'test', recipient: 'alice', subject: 'later', body: 'x' },
    ]);
    // A port nothing listens on: connection refused.
    const closed = await startSmtpServer();
    await closed.close();
    const sender = new SmtpSender({ host: '127.0.0.1', port: closed.port, ignoreTls: true, from: 'ordo@example.org' });
    const dispatcher = new NotificationDispatcher({ stores, clock, sender, log: () => {}, backoffMs: () => 30_000 });
    expect(await dispatcher.runOnce()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(await stores.notifications.get(id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAttemptAt: '2026-11-28T09:00:30.000Z',
    });
  });
});

describe('notification producers over the example configuration', () => {
  let fixture: ApiFixture;
  beforeAll(async () => {
    fixture = await startApiFixture();
  });
  afterAll(() => fixture.close());

  const outbox = () => fixture.stores.notifications.list({ limit: 500 });

  it('notifies only the exact permission path: a parent path grants the right but sends nothing', async () => {
    const { model } = await fixture.runtime.models.current();
    const manual = '/Custom/ProvisioningPolicy/PerformManualProvisioning/Person';
    const holders = await recipientsHolding(fixture.stores, model, manual);
    // admin holds /Custom/ProvisioningPolicy (a parent): allowed, but not subscribed.
    expect(holders.map((a) => a.login)).toEqual(['resources']);
    expect((await recipientsHolding(fixture.stores, model, '/Custom/ProvisioningPolicy')).map((a) => a.login)).toEqual([
      'admin',
    ]);
  });

  it('the pipeline announces manual orders handed off: one summary per recipient, counted per resource type', async () => {
    await fixture.runtime.pipeline.request();
    const run = fixture.runtime.pipeline.lastRun;
    expect(run?.manual).toBeGreaterThan(0);
    const summaries = (await outbox()).filter((n) => n.kind === 'manual_provisioning.summary');
    expect(summaries.map((n) => n.recipient)).toEqual(['resources']);
    const queued = await fixture.stores.orders.list({ state: 2, connector: 'Facilities', limit: 5000 });
    expect(summaries[0]?.subject).toBe(`Manual provisioning: ${run?.manual} order(s) to perform`);
    expect(summaries[0]?.body).toContain('Person:');
    expect(summaries[0]?.body).toMatch(
      /Building badge \(manual ticket\) \(Badge\): \d+ to create, 0 to change, 0 to delete/,
    );
    expect(queued.length).toBeGreaterThan(0);
    // Nothing new to hand off: the next run announces nothing.
    await fixture.runtime.pipeline.request();
    expect((await outbox()).filter((n) => n.kind === 'manual_provisioning.summary')).toHaveLength(1);
  });

  it('the pipeline announces new items awaiting provisioning review to their reviewers', async () => {
    const owner = personId('E00001');
    await fixture.stores.assignments.saveChanges({
      upserts: [
        {
          kind: 'single_role',
          id: `sr:${owner}:DirectoryAdmin`,
          ownerId: owner,
          roleId: 'DirectoryAdmin',
          inferredFrom: null,
          workflowState: 16,
          startDate: null,
          endDate: null,
          ruleId: null,
        },
      ],
      deletes: [],
    });
    await fixture.stores.resources.markDirty([owner]);
    await fixture.runtime.pipeline.request();
    const reviews = (await outbox()).filter((n) => n.kind === 'provisioning_review.summary');
    expect(reviews.map((n) => n.recipient)).toEqual(['resources']);
    expect(reviews[0]?.body).toMatch(/LDAP administrator account \(LdapAdminAccount\): \d+ item\(s\)/);
  });

  it('notifyJobFailed reaches the holders of /Jobs/RunJob/Launch/Errored exactly', async () => {
    const sent = await notifyJobFailed(
      { stores: fixture.stores, clock: fixture.clock, newId: randomUUID, models: fixture.runtime.models },
      { id: 'job-1', kind: 'task', task: 'fulfil', connector: 'Directory', error: 'LDAP server unreachable' },
    );
    expect(sent.map((n) => n.recipient)).toEqual(['admin']);
    expect(sent[0]?.subject).toBe('Job failed: task fulfil Directory (job-1)');
    expect(sent[0]?.body).toContain('LDAP server unreachable');
  });

  it('GET /api/notifications lists the outbox for administrators only, filtered by status', async () => {
    const admin = await fixture.as('admin');
    const all = await admin.get('/api/notifications?limit=2');
    expect(all.statusCode).toBe(200);
    expect(all.json().items).toHaveLength(2);
    expect(all.json().nextBefore).toEqual(expect.any(String));
    const rest = await admin.get(`/api/notifications?limit=500&before=${all.json().nextBefore}`);
    expect(rest.json().items.length).toBe((await outbox()).length - 2);
    const pending = await admin.get('/api/notifications?status=pending');
    expect(pending.json().items.every((n: { status: string }) => n.status === 'pending')).toBe(true);
    expect((await admin.get('/api/notifications?status=bogus')).statusCode).toBe(400);
    expect((await admin.get('/api/notifications?limit=501')).statusCode).toBe(400);
    expect((await admin.get('/api/notifications?before=nonsense')).json().code).toBe('CURSOR_INVALID');
    expect((await (await fixture.as('resources')).get('/api/notifications')).statusCode).toBe(403);
  });
});
