import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityName, type Values } from '../src/pages/directory/identity-values.ts';
import { startDemoUi, type UiHarness } from './support/ui-harness.ts';

/**
 * The three review screens walked with real clicks on the demo: Role Review (approve with a
 * comment), Provisioning Review (decline one value, confirm the creation; unblock an errored
 * order), Manual Provisioning (confirm one ticket, report an error with a required message, bulk
 * confirm two). Each action is then checked on the server through the API, not only on screen.
 */
interface Identity {
  id: string;
  key: string;
  values: Values;
}
interface Order {
  id: string;
  state: number;
  ownerId: string;
  changeType: 'added' | 'modified' | 'deleted';
  resourceTypeId: string;
}
interface ReviewResource {
  assignedResourceTypeId: string;
  resourceTypeId: string;
  owner: { id: string };
  properties: { assignmentId: string; property: string }[];
}

let ui: UiHarness;
beforeAll(async () => {
  ui = await startDemoUi('reviews');
}, 150_000);
afterAll(async () => {
  await ui?.close();
});

async function orderState(id: string): Promise<number> {
  const api = await ui.api('admin');
  return (await api.get<{ order: Order }>(`/api/orders/${id}`)).order.state;
}

/** How the screens name an identity: "Léa Laurent" (the directory's values), as the buttons say. */
async function nameOf(id: string): Promise<string> {
  const api = await ui.api('admin');
  const identity = await api.get<Identity>(`/api/directory/Person/${encodeURIComponent(id)}`);
  return identityName(identity.values, identity.key);
}

describe('review screens', () => {
  it('approves a role request, then reviews the account it creates', { timeout: 60_000 }, async () => {
    const admin = await ui.api('admin');
    const [someone] = (await admin.get<{ items: Identity[] }>('/api/directory/Person?limit=1')).items;
    if (!someone) throw new Error('the demo has no Person');
    const request = await admin.post<{ id: string }>(
      `/api/directory/Person/${encodeURIComponent(someone.id)}/requests`,
      {
        itemKind: 'single_role',
        itemId: 'AtlasAdmin',
        comment: 'on call next month',
      },
    );
    const name = await nameOf(someone.id);

    // The requester sees why they may not decide (four eyes); the officer decides.
    const requester = await ui.signedInPage('admin');
    await requester.goto(`${ui.baseUrl}/role-review/Person`);
    await requester.getByText('You requested it: another reviewer decides.').first().waitFor();
    expect(
      await requester.getByRole('button', { name: `Approve request of ${name} for Atlas administrator` }).count(),
    ).toBe(0);

    const officer = await ui.signedInPage('officer');
    await officer.goto(`${ui.baseUrl}/role-review/Person`);
    await officer.getByRole('button', { name: `Approve request of ${name} for Atlas administrator` }).click();
    const dialog = officer.getByRole('dialog', { name: `Approve request of ${name}` });
    await dialog.getByLabel('Comment (optional)').fill('ok for one month');
    await ui.shot(officer, 'role-review-approve');
    await dialog.getByRole('button', { name: 'Approve step 1' }).click();
    await officer.getByRole('status').filter({ hasText: 'Approved step 1 of 1' }).waitFor();
    const decided = await admin.get<{ status: string; decisions: { comment: string | null }[] }>(
      `/api/requests/${request.id}`,
    );
    expect(decided.status).toBe('approved');
    expect(decided.decisions[0]?.comment).toBe('ok for one month');

    // The admin account now awaits Provisioning Review: decline its group, confirm the rest.
    const manager = await ui.api('resources');
    let resource: ReviewResource | undefined;
    for (let i = 0; i < 40 && !resource; i++) {
      const page = await manager.get<{ items: ReviewResource[] }>('/api/provisioning-review/Person?limit=500');
      resource = page.items.find((r) => r.owner.id === someone.id);
      if (!resource) await new Promise((r) => setTimeout(r, 250));
    }
    if (!resource) throw new Error('the approved role did not reach Provisioning Review');
    const group = resource.properties.find((p) => p.property === 'groups');
    if (!group) throw new Error('no pending group value');
    const reviewer = await ui.signedInPage('resources');
    await reviewer.goto(`${ui.baseUrl}/provisioning-review/Person`);
    const what = `${resource.resourceTypeId} of ${name}`;
    await reviewer
      .getByRole('radiogroup', { name: `Decision for groups of ${what}` })
      .getByText('Decline', { exact: true })
      .click();
    await ui.shot(reviewer, 'provisioning-review-decide');
    await reviewer.getByRole('button', { name: `Confirm creation of ${what}` }).click();
    await reviewer
      .getByRole('status')
      .filter({ hasText: /Confirm creation of .*: \d+ approved, 1 declined, 0 postponed/ })
      .waitFor();
    const after = await manager.get<{ items: ReviewResource[] }>('/api/provisioning-review/Person?limit=500');
    expect(after.items.some((r) => r.assignedResourceTypeId === resource?.assignedResourceTypeId)).toBe(false);
    await reviewer.getByRole('region', { name: `addition of ${what}` }).waitFor({ state: 'detached' });
  });

  it('confirms and reports manual tickets, then unblocks the reported one', { timeout: 60_000 }, async () => {
    const admin = await ui.api('admin');
    const open = await admin.get<{ items: Order[] }>('/api/manual-provisioning/Person?limit=4');
    expect(open.items.length).toBe(4);
    const [first, second, third, fourth] = open.items as [Order, Order, Order, Order];
    const verbs = { added: 'create', modified: 'update', deleted: 'delete' } as const;
    const label = async (o: Order) =>
      `order ${o.id.slice(0, 8)} (${verbs[o.changeType]} ${o.resourceTypeId} of ${await nameOf(o.ownerId)})`;

    const page = await ui.signedInPage('resources');
    await page.goto(`${ui.baseUrl}/manual-provisioning/Person`);
    await ui.shot(page, 'manual-provisioning');
    await page.getByRole('button', { name: `Confirm ${await label(first)} as done` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Confirmed 1 order: 1 now (8 Executed|4 Verified)/ })
      .waitFor();
    expect([4, 8]).toContain(await orderState(first.id));

    // Reporting needs a message: an empty one is refused on screen and nothing is sent.
    await page.getByRole('button', { name: `Report an error for ${await label(second)}` }).click();
    const report = page.getByRole('dialog');
    await report.getByRole('button', { name: 'Report the error' }).click();
    await report.getByText('Say what went wrong: the message is required').waitFor();
    expect(await orderState(second.id)).toBe(2);
    await report.getByLabel('What went wrong').fill('no permit left at the desk');
    await report.getByRole('button', { name: 'Report the error' }).click();
    await page.getByRole('status').filter({ hasText: 'Reported an error for 1 order: 1 now 3 Errored' }).waitFor();
    expect(await orderState(second.id)).toBe(3);

    // Bulk: two selected, the dialog says how many, all or nothing.
    await page.getByRole('checkbox', { name: `Select ${await label(third)}` }).check();
    await page.getByRole('checkbox', { name: `Select ${await label(fourth)}` }).check();
    await page.getByRole('button', { name: 'Confirm selected (2)' }).click();
    await page
      .getByRole('dialog', { name: 'Confirm 2 orders as done?' })
      .getByRole('button', { name: 'Confirm 2 orders' })
      .click();
    await page
      .getByRole('status')
      .filter({ hasText: /Confirmed 2 orders: 2 now/ })
      .waitFor();
    expect([4, 8]).toContain(await orderState(third.id));
    expect([4, 8]).toContain(await orderState(fourth.id));
    await ui.shot(page, 'manual-provisioning-done');

    // The reported ticket waits on Provisioning Review's errored orders: unblock it there.
    await page.goto(`${ui.baseUrl}/provisioning-review/Person?view=errored`);
    await page.getByRole('button', { name: new RegExp(`^Unblock order ${second.id.slice(0, 8)} `) }).click();
    await page.getByRole('status').filter({ hasText: 'Unblocked 1 order (now 1 Pending).' }).waitFor();
    expect(await orderState(second.id)).not.toBe(3);
    await ui.shot(page, 'provisioning-review-unblocked');
  });
});
