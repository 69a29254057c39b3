import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type DemoLogin, startDemoUi, type UiHarness } from './support/ui-harness.ts';

/**
 * The operations screens as an operator uses them on the demo: the errors inbox (retry a group),
 * an errored order (diagram, dismiss), resource reconciliation (keep needs a reason, bulk remove),
 * Job Execution (launch, follow to the end), connectors and the state diagram. Every action is
 * checked on the server through the API, not only on screen.
 */
interface Order {
  id: string;
  state: number;
  ownerKey: string | null;
  resourceTypeId: string;
}
interface Item {
  id: string;
  category: string;
  resourceTypeId: string | null;
  targetKey: string | null;
}

let ui: UiHarness;
beforeAll(async () => {
  ui = await startDemoUi('operations');
}, 150_000);
afterAll(async () => {
  await ui?.close();
});

/** A signed-in page that leaves a screenshot of what it showed when a step fails. */
async function signedInPage(login: DemoLogin): Promise<Page> {
  const page = await ui.signedInPage(login);
  onTestFailed(() => ui.shot(page, `failed-${login}`));
  return page;
}

/** Parking tickets the demo opened (2 Transmitted), reported failed by hand so the inbox has work. */
async function erroredParkingOrders(count: number, message: string): Promise<Order[]> {
  const api = await ui.api('admin');
  const open = await api.get<{ items: Order[] }>(`/api/orders?state=2&connector=Facilities&limit=${count}`);
  expect(open.items.length).toBe(count);
  await api.post('/api/manual-provisioning/Person/error', { orderIds: open.items.map((o) => o.id), message });
  return open.items;
}

async function orderState(id: string): Promise<number> {
  const api = await ui.api('admin');
  return (await api.get<{ order: Order }>(`/api/orders/${id}`)).order.state;
}

describe('operations screens', () => {
  it('retries an error group and dismisses one errored order', { timeout: 60_000 }, async () => {
    const retried = await erroredParkingOrders(3, 'badge printer out of ink');
    const page = await signedInPage('admin');
    await page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('link', { name: /^Errors/ })
      .click();
    await page.getByText('3 errored orders in 1 group.').waitFor();
    await ui.shot(page, 'errors-inbox');
    await page.getByRole('button', { name: 'Retry all 3 orders of Facilities · manual' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry 3 errored orders?' });
    await dialog.getByRole('button', { name: 'Retry 3 orders' }).click();
    await page.getByRole('status').filter({ hasText: '3 orders sent back to 1 Pending.' }).waitFor();
    await ui.shot(page, 'errors-retried');
    for (const order of retried) expect(await orderState(order.id)).not.toBe(3);

    // One more error, handled from its order page: the diagram says where it is; dismiss asks first.
    const [lost] = await erroredParkingOrders(1, 'permit refused by the site');
    if (!lost) throw new Error('no order');
    await page.goto(`${ui.baseUrl}/orders/${lost.id}`);
    await page
      .getByRole('img', { name: /Current state: 3 Errored\. Path taken: .*2 Transmitted, then 3 Errored/ })
      .waitFor();
    await ui.shot(page, 'order-errored');
    const who = lost.ownerKey ?? '';
    await page.getByRole('button', { name: `Dismiss order of ${who}` }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: `Dismiss 1 order of ${who}` })
      .click();
    await page.getByRole('status').filter({ hasText: '1 order dismissed to 6 Inactive.' }).waitFor();
    expect(await orderState(lost.id)).toBe(6);
    await page.getByLabel('Provisioning state 6 Inactive').first().waitFor();

    // The resource manager may look at errors but not act on them: no buttons are offered.
    await erroredParkingOrders(1, 'one more');
    const viewer = await signedInPage('resources');
    await viewer.goto(`${ui.baseUrl}/errors`);
    await viewer.getByText('1 errored order in 1 group.').waitFor();
    expect(await viewer.getByRole('button', { name: /Retry all|Dismiss all/ }).count()).toBe(0);
  });

  it('reconciles Atlas accounts: keep needs a reason, bulk remove says how many', { timeout: 60_000 }, async () => {
    const api = await ui.api('resources');
    const list = async () =>
      (await api.get<{ items: Item[] }>('/api/reconciliation/resources/AtlasAccount')).items.filter(
        (i) => i.category === 'orphan',
      );
    const before = await list();
    expect(before.length).toBeGreaterThanOrEqual(3);
    const [kept, ...rest] = before;
    if (!kept) throw new Error('no orphan');
    const page = await signedInPage('resources');
    await page.goto(`${ui.baseUrl}/reconciliation/resources/AtlasAccount`);
    const table = page.getByRole('table', { name: 'Items waiting for reconciliation' });
    await table.waitFor();
    await ui.shot(page, 'reconciliation');

    await table.getByRole('button', { name: `Keep orphan ${kept.resourceTypeId} ${kept.targetKey}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Keep 1 item?' });
    await dialog.getByRole('button', { name: 'Keep 1 item' }).click();
    // No reason: the server refuses and says which field; nothing changed.
    await dialog.getByRole('alert').filter({ hasText: 'comment' }).waitFor();
    await ui.shot(page, 'reconciliation-keep-refused');
    expect((await list()).map((i) => i.id)).toContain(kept.id);
    await dialog.getByLabel('Why keep it? (required)').fill('service account of the backup vendor');
    await dialog.getByRole('button', { name: 'Keep 1 item' }).click();
    await page.getByRole('status').filter({ hasText: '1 item kept.' }).waitFor();
    expect((await list()).map((i) => i.id)).not.toContain(kept.id);

    const [a, b] = rest;
    if (!a || !b) throw new Error('fewer orphans than expected');
    await table.getByRole('checkbox', { name: `Select orphan ${a.resourceTypeId} ${a.targetKey}` }).check();
    await table.getByRole('checkbox', { name: `Select orphan ${b.resourceTypeId} ${b.targetKey}` }).check();
    await page.getByRole('button', { name: 'Remove 2 selected' }).click();
    await page.getByRole('dialog', { name: 'Remove 2 items?' }).getByRole('button', { name: 'Remove 2 items' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^2 items to remove/ })
      .waitFor();
    await ui.shot(page, 'reconciliation-removed');
    const after = (await list()).map((i) => i.id);
    expect(after).not.toContain(a.id);
    expect(after).not.toContain(b.id);
  });

  it('launches a job and follows it; shows connectors and the state diagram', { timeout: 60_000 }, async () => {
    const page = await signedInPage('admin');
    await page.goto(`${ui.baseUrl}/jobs`);
    // Mantine's segmented control hides its radios; people click the visible label.
    await page.locator('label', { hasText: /^task$/ }).click();
    await expect.poll(() => page.getByRole('radio', { name: 'task' }).isChecked()).toBe(true);
    await page.getByRole('combobox', { name: 'Task' }).click();
    await page.getByRole('option', { name: 'fulfil' }).click();
    await page.getByRole('button', { name: 'Launch task job' }).click();
    await page.waitForURL(/\/jobs\/[\w-]+$/);
    await page.getByRole('status').filter({ hasText: 'The job is completed' }).waitFor({ timeout: 30_000 });
    await page.getByRole('table', { name: 'Steps of this job' }).getByText('fulfil').waitFor();
    await ui.shot(page, 'job-completed');
    const jobId = page.url().split('/').pop() ?? '';
    const api = await ui.api('admin');
    const job = await api.get<{ status: string; task: string }>(`/api/jobs/${jobId}`);
    expect(job).toMatchObject({ status: 'completed', task: 'fulfil' });

    await page.goto(`${ui.baseUrl}/connectors`);
    const connectors = page.getByRole('table', { name: 'Connectors' });
    await connectors.getByRole('rowheader', { name: /Atlas/ }).waitFor();
    await page.getByRole('table', { name: 'Agents' }).waitFor();
    await ui.shot(page, 'connectors');

    await page.goto(`${ui.baseUrl}/states?highlight=5`);
    await page.getByRole('img', { name: /Current state: 5 Awaiting Approval/ }).waitFor();
    await page.getByRole('button', { name: 'Show transitions as a table' }).click();
    const transitions = page.getByRole('table', { name: /Every transition/ });
    await transitions.getByRole('row', { name: /5 Awaiting Approval review_approved 1 Pending/ }).waitFor();
    await ui.shot(page, 'states');
  });
});
