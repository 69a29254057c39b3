import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoUi, type UiHarness } from './support/ui-harness.ts';

/**
 * Job Execution past a threshold, as an operator meets it: HR drops a file that lost 40 of its
 * 300 people (13 %, over the HR connector's 10 % deletion threshold), so the synchronization is
 * held. An incremental job launched from the screen stops blocked, says why, and Resume (after a
 * confirmation) lets the deletions through; the people are then gone from the directory.
 */
let ui: UiHarness;
beforeAll(async () => {
  ui = await startDemoUi('jobs');
}, 150_000);
afterAll(async () => {
  await ui?.close();
});

interface Person {
  id: string;
  key: string;
}

describe('Job Execution', () => {
  it('stops a job at a threshold and resumes it on request', { timeout: 120_000 }, async () => {
    const admin = await ui.api('admin');
    const hrFile = join(ui.workDir, '.ordo/demo/hr/people.csv');
    const [header, ...rows] = (await readFile(hrFile, 'utf8')).trimEnd().split('\n');
    const removed = rows.slice(-40).map((row) => row.split(';')[0] ?? '');
    await writeFile(hrFile, `${[header, ...rows.slice(0, -40)].join('\n')}\n`);
    const stillThere = async () => {
      let count = 0;
      for (const key of removed.slice(0, 5)) {
        const { items } = await admin.get<{ items: Person[] }>(`/api/directory/Person?q=${key}&limit=5`);
        if (items.some((p) => p.key === key)) count += 1;
      }
      return count;
    };

    const page = await ui.signedInPage('admin');
    await page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('link', { name: /^Job Execution/ })
      .click();
    await page.locator('label', { hasText: /^incremental$/ }).click();
    await page.getByRole('button', { name: 'Launch incremental job' }).click();
    await page.waitForURL(/\/jobs\/[\w-]+$/);
    await page.getByRole('status').filter({ hasText: 'The job is blocked' }).waitFor({ timeout: 60_000 });
    await page.getByText(/Blocked by a threshold at step \d/).waitFor();
    // The steps still to come are named from the job's plan.
    await page.getByRole('table', { name: 'Steps of this job' }).getByRole('cell', { name: 'generate' }).waitFor();
    await ui.shot(page, 'job-blocked');
    // Held: the people are still in the directory.
    expect(await stillThere()).toBe(5);

    await page.getByRole('button', { name: 'Resume job' }).click();
    await ui.shot(page, 'job-resume-confirm');
    await page
      .getByRole('dialog', { name: 'Resume this job past its threshold?' })
      .getByRole('button', { name: 'Resume and apply' })
      .click();
    await page.getByRole('status').filter({ hasText: 'The job is completed' }).waitFor({ timeout: 60_000 });
    await ui.shot(page, 'job-resumed-completed');
    const jobId = page.url().split('/').pop() ?? '';
    const job = await admin.get<{ status: string; kind: string }>(`/api/jobs/${jobId}`);
    expect(job).toMatchObject({ status: 'completed', kind: 'incremental' });
    expect(await stillThere()).toBe(0);
  });
});
