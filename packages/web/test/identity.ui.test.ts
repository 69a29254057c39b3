import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoLogin, startDemoUi, type UiHarness } from './support/ui-harness.ts';

/**
 * Directory → identity page as a person uses it: find yourself, watch your Atlas account reach
 * 4 Verified on View Permissions (auto-refresh), open its timeline by link, request two roles on
 * Modify Permissions, cancel one on Requests; the server's answers are checked behind the screens.
 */
interface Session {
  identityId: string;
}
interface Identity {
  key: string;
  values: Record<string, unknown>;
}
interface Requestable {
  id: string;
  currentWorkflowState: { number: number } | null;
  pendingRequestId: string | null;
}

let ui: UiHarness;
beforeAll(async () => {
  ui = await startDemoUi('identity');
}, 150_000);
afterAll(async () => {
  await ui?.close();
});

async function me(login: DemoLogin) {
  const api = await ui.api(login);
  const { identityId } = await api.get<Session>('/api/session');
  const identity = await api.get<Identity>(`/api/directory/Person/${encodeURIComponent(identityId)}`);
  const requestable = async () =>
    (await api.get<{ items: Requestable[] }>(`/api/directory/Person/${encodeURIComponent(identityId)}/requestable`))
      .items;
  return { api, identityId, identity, requestable };
}

describe('directory and identity page', () => {
  it('finds yourself, follows provisioning live, requests and cancels', { timeout: 90_000 }, async () => {
    const { api, identity, requestable } = await me('user');
    const name = `${identity.values.firstName} ${identity.values.lastName}`;
    const page = await ui.signedInPage('user');

    await page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('link', { name: /^Directory/ })
      .click();
    await page.getByRole('searchbox', { name: 'Search' }).fill(identity.key);
    await page.waitForURL(new RegExp(`q=${identity.key}`));
    await ui.shot(page, 'directory-search');
    await page.getByRole('link', { name: `${name} (${identity.key})` }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();

    // The Atlas account was ordered at start: the page refreshes itself until it reads 4 Verified.
    const account = page.getByRole('table', { name: `Resource types of ${name}` }).getByRole('row', {
      name: /Atlas account/,
    });
    await account.getByLabel('Provisioning state 4 Verified').waitFor({ timeout: 30_000 });
    await ui.shot(page, 'view-permissions');

    await account.getByRole('button', { name: /Timeline of Atlas account/ }).click();
    await page.waitForURL(/assignment=/);
    const timeline = page.getByRole('table', { name: /Timeline of Atlas account/ });
    await timeline.getByLabel('Provisioning state 4 Verified').first().waitFor();
    await ui.shot(page, 'timeline');
    await page.getByRole('button', { name: 'Close timeline' }).click();
    await page.waitForURL((url) => !url.search.includes('assignment='));

    await page.getByRole('tab', { name: 'Modify Permissions' }).click();
    await page.getByRole('checkbox', { name: 'Add Atlas administrator' }).check();
    await page.getByRole('checkbox', { name: 'Add Parking permit' }).check();
    await page.getByRole('textbox', { name: 'Comment' }).fill('on call this winter');
    await page.getByRole('button', { name: 'Submit 2 requests' }).click();
    await page.getByRole('button', { name: 'Confirm 2 requests' }).click();
    await page.getByText('2 requests made').waitFor();
    await ui.shot(page, 'requested');

    const after = await requestable();
    const admin = after.find((r) => r.id === 'AtlasAdmin');
    const parking = after.find((r) => r.id === 'ParkingPermit');
    expect(admin?.pendingRequestId).toBeTruthy(); // one approval needed
    expect(parking?.currentWorkflowState?.number).toBe(16); // approval 0: Approved at once

    await page.getByRole('tab', { name: 'Requests' }).click();
    await page.getByRole('button', { name: 'Cancel request for Atlas administrator' }).click();
    await page.getByRole('button', { name: 'Cancel the request' }).click();
    const row = page.getByRole('table', { name: `Requests for ${name}` }).getByRole('row', {
      name: /Add Atlas administrator/,
    });
    await row.getByLabel('Request status Cancelled').waitFor();
    await ui.shot(page, 'cancelled');
    const cancelled = await api.get<{ status: string }>(`/api/requests/${admin?.pendingRequestId}`);
    expect(cancelled.status).toBe('cancelled');
  });
});
