import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityName, type Values } from '../src/pages/directory/identity-values.ts';
import { startDemoUi, type UiHarness } from './support/ui-harness.ts';

/**
 * The seed's "Verify Provisioning" steps, walked in Chromium on `ordo demo` as people do them:
 * a manager requests an entitlement for a member of their team in Modify Permissions, the role
 * officer approves it in Role Review, View Permissions shows 5 Awaiting Approval, the resource
 * manager confirms it in Provisioning Review, and the automated system (Atlas) takes it 1 Pending
 * → 8 Executed → 4 Verified; a job then runs from Job Execution. For the manual system the ticket
 * waits in Manual Provisioning as 2 Transmitted and its confirmation gives 8 Executed. A person
 * without the review rights sees none of the review screens, and errored tickets are unblocked in
 * bulk. Every step is checked on the server too, and leaves a screenshot.
 */
interface Identity {
  id: string;
  key: string;
  values: Values;
}
interface Assignment {
  id: string;
  resourceTypeId: string | null;
  kind: string;
  provisioningState: { number: number } | null;
  timeline: { event: string; to: { number: number } | null; stateKind: string }[];
}
interface ManualOrder {
  id: string;
  ownerId: string;
  resourceTypeId: string;
  changeType: 'added' | 'modified' | 'deleted';
  state: number;
}

let ui: UiHarness;
let person: Identity;
let name: string;

beforeAll(async () => {
  ui = await startDemoUi('seed-verification');
  const user = await ui.api('user');
  const { identityId } = await user.get<{ identityId: string }>('/api/session');
  person = await user.get<Identity>(`/api/directory/Person/${encodeURIComponent(identityId)}`);
  name = identityName(person.values, person.key);
}, 150_000);
afterAll(async () => {
  await ui?.close();
});

const permissionsPath = () => `/api/directory/Person/${encodeURIComponent(person.id)}/permissions`;
async function assignmentOf(resourceTypeId: string): Promise<Assignment | undefined> {
  const { items } = await (await ui.api('admin')).get<{ items: Assignment[] }>(permissionsPath());
  return items.find((a) => a.kind === 'resource_type' && a.resourceTypeId === resourceTypeId);
}

/** The identity page of the test user, opened from the Directory as a person would. */
async function openTestUser(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Screens' })
    .getByRole('link', { name: /^Directory/ })
    .click();
  await page.getByRole('searchbox', { name: 'Search' }).fill(person.key);
  await page.getByRole('link', { name: `${name} (${person.key})` }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** The row of a resource type on View Permissions. */
const resourceRow = (page: Page, displayName: string) =>
  page
    .getByRole('table', { name: `Resource types of ${name}` })
    .getByRole('row', { name: new RegExp(`^${displayName}\\b`) });

async function request(page: Page, item: string): Promise<void> {
  await page.getByRole('tab', { name: 'Modify Permissions' }).click();
  await page.getByRole('checkbox', { name: `Add ${item}` }).check();
  await page.getByRole('textbox', { name: 'Comment' }).fill('seed verification');
  await page.getByRole('button', { name: 'Submit 1 request' }).click();
  await page.getByRole('button', { name: 'Confirm 1 request' }).click();
  await page.getByText('1 request made').waitFor();
}

describe("the seed's provisioning verification, in a browser", () => {
  it('automated system: request → role review → 5 → provisioning review → 1 → 8 → 4, then a job', async () => {
    // Sign in, open the Directory, pick the test user, request the entitlement.
    const manager = await ui.signedInPage('manager');
    await ui.shot(manager, 'manager-home');
    await openTestUser(manager);
    await ui.shot(manager, 'test-user');
    await request(manager, 'Atlas administrator');
    await ui.shot(manager, 'requested-atlas-administrator');

    // Approve it in Role Review (the requester may not: four eyes).
    const officer = await ui.signedInPage('officer');
    await officer
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('link', { name: /^Role Review/ })
      .click();
    await officer.getByRole('button', { name: `Approve request of ${name} for Atlas administrator` }).click();
    await officer
      .getByRole('dialog', { name: `Approve request of ${name}` })
      .getByRole('button', { name: 'Approve step 1' })
      .click();
    await officer.getByRole('status').filter({ hasText: 'Approved step 1 of 1' }).waitFor();
    await ui.shot(officer, 'role-review-approved');

    // View Permissions: the administrator account waits for a person, 5 Awaiting Approval.
    await manager.getByRole('tab', { name: 'View Permissions' }).click();
    const adminAccount = resourceRow(manager, 'Atlas administrator account');
    await adminAccount.getByLabel('Provisioning state 5 Awaiting Approval').waitFor({ timeout: 20_000 });
    expect((await assignmentOf('AtlasAdminAccount'))?.provisioningState?.number).toBe(5);
    await ui.shot(manager, 'view-permissions-5-awaiting-approval');

    // Provisioning Review: confirm the creation; the order leaves 5 for 1 Pending.
    const resources = await ui.signedInPage('resources');
    await resources
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('link', { name: /^Provisioning Review/ })
      .click();
    await resources.getByRole('button', { name: `Confirm creation of AtlasAdminAccount of ${name}` }).click();
    await resources
      .getByRole('status')
      .filter({ hasText: /Confirm creation of .*: \d+ approved, 0 declined, 0 postponed/ })
      .waitFor();
    await ui.shot(resources, 'provisioning-review-confirmed');

    // The embedded agent writes it into Atlas and reads it back: 4 Verified on View Permissions,
    // and the timeline shows the way: 5 Awaiting Approval → 1 Pending → executed (8) → 4 Verified.
    await adminAccount.getByLabel('Provisioning state 4 Verified').waitFor({ timeout: 30_000 });
    await ui.shot(manager, 'view-permissions-4-verified');
    await adminAccount.getByRole('button', { name: /Timeline of Atlas administrator account/ }).click();
    const timeline = manager.getByRole('table', { name: /Timeline of Atlas administrator account/ });
    for (const state of ['5 Awaiting Approval', '1 Pending', '4 Verified']) {
      await timeline.getByLabel(`Provisioning state ${state}`).first().waitFor();
    }
    await ui.shot(manager, 'timeline-5-1-8-4');
    await manager.getByRole('button', { name: 'Close timeline' }).click();
    const provisioning = (await assignmentOf('AtlasAdminAccount'))?.timeline
      .filter((e) => e.stateKind === 'provisioning')
      .map((e) => e.to?.number);
    expect(provisioning?.indexOf(5)).toBeLessThan(provisioning?.indexOf(1) ?? -1);
    expect(provisioning?.at(-1)).toBe(4);
    const events = (await assignmentOf('AtlasAdminAccount'))?.timeline.map((e) => e.event) ?? [];
    expect(events.join(' ')).toMatch(/executed/);

    // "After running the jobs": an incremental job from Job Execution synchronizes Atlas again and
    // the account stays 4 Verified.
    const admin = await ui.signedInPage('admin');
    await admin
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('link', { name: /^Job Execution/ })
      .click();
    await admin.locator('label', { hasText: /^incremental$/ }).click();
    await admin.getByRole('button', { name: 'Launch incremental job' }).click();
    await admin.waitForURL(/\/jobs\/[\w-]+$/);
    await admin.getByRole('status').filter({ hasText: 'The job is completed' }).waitFor({ timeout: 60_000 });
    await ui.shot(admin, 'job-completed');
    expect((await assignmentOf('AtlasAdminAccount'))?.provisioningState?.number).toBe(4);
  });

  it('manual system: 2 Transmitted on Manual Provisioning, confirmed, 8 Executed', async () => {
    const manager = await ui.signedInPage('manager');
    await openTestUser(manager);
    await request(manager, 'Parking permit'); // approval 0: granted at once
    const admin = await ui.api('admin');
    let ticket: ManualOrder | undefined;
    for (let i = 0; i < 80 && !ticket; i++) {
      const { items } = await admin.get<{ items: ManualOrder[] }>('/api/manual-provisioning/Person?limit=500');
      ticket = items.find((o) => o.ownerId === person.id && o.resourceTypeId === 'ParkingPermit');
      if (!ticket) await new Promise((r) => setTimeout(r, 250));
    }
    if (!ticket) throw new Error('the parking permit never reached Manual Provisioning');
    expect(ticket.state).toBe(2);

    const resources = await ui.signedInPage('resources');
    await resources
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('link', { name: /^Manual Provisioning/ })
      .click();
    const label = `order ${ticket.id.slice(0, 8)} (create ParkingPermit of ${name})`;
    const row = resources
      .getByRole('row')
      .filter({ has: resources.getByRole('button', { name: `Confirm ${label} as done` }) });
    await row.getByLabel('Provisioning state 2 Transmitted').waitFor();
    await ui.shot(resources, 'manual-provisioning-2-transmitted');
    await resources.getByRole('button', { name: `Confirm ${label} as done` }).click();
    await resources.getByRole('status').filter({ hasText: 'Confirmed 1 order: 1 now 8 Executed' }).waitFor();
    await ui.shot(resources, 'manual-provisioning-confirmed');

    await manager.getByRole('tab', { name: 'View Permissions' }).click();
    await resourceRow(manager, 'Parking permit')
      .getByLabel('Provisioning state 8 Executed')
      .waitFor({ timeout: 20_000 });
    await ui.shot(manager, 'view-permissions-8-executed');
    expect((await assignmentOf('ParkingPermit'))?.provisioningState?.number).toBe(8);
  });

  it('a person without the review rights sees no review screen', async () => {
    const user = await ui.signedInPage('user');
    const nav = user.getByRole('navigation', { name: 'Screens' });
    await nav.getByRole('link', { name: /^Directory/ }).waitFor();
    for (const screen of [
      /^Role Review/,
      /^Provisioning Review/,
      /^Manual Provisioning/,
      /Reconciliation/,
      /^Errors/,
    ]) {
      expect(await nav.getByRole('link', { name: screen }).count()).toBe(0);
    }
    await ui.shot(user, 'user-home');
    // Typing the address does not help: the server refuses, and the page says so.
    await user.goto(`${ui.baseUrl}/provisioning-review/Person`);
    await user
      .getByRole('alert')
      .filter({ hasText: /permission/ })
      .first()
      .waitFor();
    expect(await user.getByRole('button', { name: /^Confirm creation/ }).count()).toBe(0);
    await ui.shot(user, 'user-refused-provisioning-review');
  });

  it('unblocks errored orders in bulk', async () => {
    const admin = await ui.api('admin');
    const { items } = await admin.get<{ items: ManualOrder[] }>('/api/manual-provisioning/Person?limit=3');
    expect(items.length).toBe(3);
    const resources = await ui.signedInPage('resources');
    await resources.goto(`${ui.baseUrl}/manual-provisioning/Person`);
    const labelOf = async (o: ManualOrder) => {
      const owner = await admin.get<Identity>(`/api/directory/Person/${encodeURIComponent(o.ownerId)}`);
      return `order ${o.id.slice(0, 8)} (create ${o.resourceTypeId} of ${identityName(owner.values, owner.key)})`;
    };
    for (const order of items) {
      await resources.getByRole('checkbox', { name: `Select ${await labelOf(order)}` }).check();
    }
    await resources.getByRole('button', { name: 'Report error for selected (3)' }).click();
    const dialog = resources.getByRole('dialog');
    await dialog.getByLabel('What went wrong').fill('the permit printer is out of order');
    await dialog.getByRole('button', { name: /Report the error/ }).click();
    await resources
      .getByRole('status')
      .filter({ hasText: /3 now 3 Errored/ })
      .waitFor();

    await resources.goto(`${ui.baseUrl}/provisioning-review/Person?view=errored`);
    await resources.getByRole('button', { name: /^Unblock all shown \(\d+\)/ }).click();
    const confirm = resources.getByRole('dialog', { name: /^Unblock \d+ orders?\?$/ });
    await ui.shot(resources, 'bulk-unblock-confirm');
    await confirm.getByRole('button', { name: /^Unblock \d+ orders?$/ }).click();
    await resources
      .getByRole('status')
      .filter({ hasText: /^Unblocked \d+ orders? \(now 1 Pending\)/ })
      .waitFor();
    await ui.shot(resources, 'bulk-unblocked');
    for (const order of items) {
      const { order: now } = await admin.get<{ order: { state: number } }>(`/api/orders/${order.id}`);
      expect([1, 2], order.id).toContain(now.state); // back to the queue; the manual connection hands it out again
    }
  });
});
