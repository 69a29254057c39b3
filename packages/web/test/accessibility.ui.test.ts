import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoUi, type UiHarness } from './support/ui-harness.ts';

/**
 * Every screen checked by axe-core (WCAG 2.1 A and AA rules: names, labels, contrast, landmarks,
 * ARIA use) in the real browser, and the sign-in and navigation done with the keyboard alone.
 */
const axeScript = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

let ui: UiHarness;
beforeAll(async () => {
  ui = await startDemoUi('accessibility');
}, 150_000);
afterAll(async () => {
  await ui?.close();
});

/** The serious and critical violations axe finds on the page as it is now. */
async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axeScript });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<unknown> } }).axe;
    const result = (await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })) as { violations: AxeViolation[] };
    return result.violations;
  });
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(' ')} (${n.failureSummary?.replace(/\s+/g, ' ') ?? ''})`)
          .join(', ')}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ''}`,
    );
}

describe('accessibility', () => {
  it('signs in and reaches a screen with the keyboard alone', async () => {
    const page = await ui.signedInPage('admin', { bypassCsp: true });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Login').waitFor();
    expect(await violations(page)).toEqual([]);
    // The login field has the focus; type, Tab to the password, Enter submits.
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type('ordo-demo-admin');
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-in-as').waitFor();
    // The first Tab reaches the skip link, which moves past the navigation to the page.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // Tab into the navigation and open a screen with Enter.
    await page
      .getByRole('link', { name: /^Directory/ })
      .first()
      .focus();
    await page.keyboard.press('Enter');
    await page.getByRole('searchbox', { name: 'Search' }).waitFor();
  });

  it('has no serious or critical axe violation on any screen', { timeout: 120_000 }, async () => {
    const page = await ui.signedInPage('admin', { bypassCsp: true });
    const admin = await ui.api('admin');
    const { items } = await admin.get<{ items: { id: string }[] }>('/api/directory/Person?limit=1');
    const someone = encodeURIComponent(items[0]?.id ?? '');
    const { items: orders } = await admin.get<{ items: { id: string }[] }>('/api/orders?limit=1');
    const screens = [
      '/',
      '/directory/Person',
      `/directory/Person/${someone}`,
      `/directory/Person/${someone}?tab=modify`,
      `/directory/Person/${someone}?tab=requests`,
      '/role-review/Person',
      '/provisioning-review/Person',
      '/provisioning-review/Person?view=property',
      '/provisioning-review/Person?view=errored',
      '/manual-provisioning/Person',
      '/reconciliation/resources/AtlasAccount',
      '/reconciliation/roles/Person',
      '/jobs',
      '/orders',
      `/orders/${orders[0]?.id ?? ''}`,
      '/errors',
      '/connectors',
      '/states',
    ];
    const found: string[] = [];
    for (const screen of screens) {
      await page.goto(`${ui.baseUrl}${screen}`);
      const titled = await page
        .getByRole('heading', { level: 1 })
        .first()
        .waitFor({ timeout: 10_000 })
        .then(() => true)
        .catch(() => false);
      if (!titled) found.push(`${screen}: no level-1 heading (every screen names itself)`);
      await page.waitForLoadState('networkidle');
      found.push(...(await violations(page)).map((v) => `${screen}: ${v}`));
    }
    expect(found).toEqual([]);
  });
});
