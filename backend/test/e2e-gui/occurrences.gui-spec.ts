import type { Page } from 'playwright-core';
import { screenshot } from './browser';
import { guiSession } from './gui-session';

/**
 * The occurrence ledger on a task's page: a cron task every second runs (executed instants appear
 * live), is paused from the page (the instants since are paused, with the reason), and the status
 * counts filter the list.
 */
describe('GUI: the occurrence ledger of a task', () => {
  const gui = guiSession();

  const ledger = () => gui.page.locator('app-task-occurrences');
  const rows = (status: string) => ledger().locator(`tbody tr.${status}`);

  it('shows executed instants live, then paused ones with their reason, coloured apart', async () => {
    const created = await gui.kairos.api<{ id: string }>('POST', '/api/tasks', {
      name: 'ledger every second',
      schedule: { kind: 'cron', expression: '* * * * * *', timezone: 'UTC' },
      action: { kind: 'log', message: 'tick' },
    });
    expect(created.status).toBe(201);
    await gui.page.goto(`${gui.kairos.baseUrl}/tasks/${created.body.id}`);
    await ledger().getByRole('heading', { name: 'Occurrences' }).waitFor();
    await rows('executed').first().waitFor({ timeout: 10_000 });
    expect(await rows('executed').first().locator('td').nth(2).textContent()).toContain('succeeded');

    await gui.page.getByRole('button', { name: 'Pause' }).click();
    await gui.page.locator('.page-header .badge.paused').waitFor();
    await rows('paused').nth(1).waitFor({ timeout: 10_000 });
    expect(await rows('paused').first().locator('td').nth(2).textContent()).toBe('the task was paused');
    expect(await ledger().getByText('missing').count()).toBe(0);

    // It runs in the page; the server's TypeScript has no DOM types, hence the casts.
    type Styles = { getComputedStyle(element: unknown): { backgroundColor: string } };
    const colour = (status: string) =>
      rows(status)
        .first()
        .locator('.badge')
        .evaluate((badge) => (globalThis as unknown as Styles).getComputedStyle(badge).backgroundColor);
    expect(await colour('executed')).not.toBe(await colour('paused'));

    await ledger().locator('label.count', { hasText: 'paused' }).click(); // as a person clicks the chip
    expect(
      await ledger()
        .getByRole('checkbox', { name: /paused/ })
        .isChecked(),
    ).toBe(true);
    await expectOnly(ledger().locator('tbody tr'), 'paused');
    await screenshot(gui.page, 'occurrences-1440');
    await gui.page.setViewportSize({ width: 375, height: 800 });
    await screenshot(gui.page, 'occurrences-375');
  });

  it('opened every page without an uncaught error or an error on the console', () => {
    expect(gui.browser.errors()).toEqual([]);
  });
});

/** Every row has the class `status` (after the list settles). */
async function expectOnly(locator: ReturnType<Page['locator']>, status: string): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const classes = await locator.evaluateAll((rows) => rows.map((row) => row.className));
    if (classes.length > 0 && classes.every((c) => c === status)) return;
    if (Date.now() > deadline) throw new Error(`expected only ${status} rows, found ${classes.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
