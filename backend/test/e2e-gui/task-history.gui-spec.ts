import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, launchBrowser, type TestBrowser } from './browser';
import { type GuiApp, startGuiApp } from './gui-app';

/**
 * A task's history on its page: the event timeline reads 50 events at a time ("Load older" for more),
 * and choosing an event shows the task as it was then, with what that event changed, until "Back to now".
 */
describe('GUI: the event timeline and the task as of an event', () => {
  let kairos: GuiApp;
  let browser: TestBrowser;
  let page: Page;
  let taskId = '';

  beforeAll(async () => {
    kairos = await startGuiApp();
    browser = await launchBrowser();
    page = await browser.newPage();
    const created = await kairos.api<{ id: string }>('POST', '/api/tasks', {
      name: 'history v0',
      schedule: { kind: 'cron', expression: '0 0 9 * * *', timezone: 'Europe/Berlin' },
      action: { kind: 'log', message: 'tick' },
    });
    taskId = created.body.id;
    await kairos.api('PATCH', `/api/tasks/${taskId}`, { name: 'history v1', timeoutMs: 5000 }); // revision 1
    // Each trigger is a run: scheduled, then started and executed (or skipped) by the worker.
    for (let i = 0; i < 40; i++) await kairos.api('POST', `/api/tasks/${taskId}/trigger`);
    await settled(kairos, taskId);
  });
  afterAll(async () => {
    await browser?.close();
    await kairos?.close();
  });

  const rows = () => page.locator('.timeline > li');

  it('shows the newest 50 events, then older ones on "Load older", back to the registration', async () => {
    await page.goto(`${kairos.baseUrl}/tasks/${taskId}`);
    await page.getByRole('heading', { name: 'Event timeline' }).waitFor();
    await waitForCount(rows(), 50);
    const newestFirst = await page.locator('.timeline .as-of').allTextContents();
    expect(newestFirst.map((t) => Number(t.trim().replace('As of r', '')))).toEqual(
      [...newestFirst.map((t) => Number(t.trim().replace('As of r', '')))].sort((a, b) => b - a),
    );
    const older = page.getByRole('button', { name: 'Load older' });
    while (await older.isVisible()) {
      const shown = await rows().count();
      await older.click();
      await waitFor(async () => (await rows().count()) > shown);
    }
    const total = await rows().count();
    const inStream = await kairos.api<{ items: unknown[] }>('GET', `/api/tasks/${taskId}/events?limit=200`);
    expect(total).toBe(inStream.body.items.length);
    expect(total).toBeGreaterThan(50);
    expect(await rows().last().locator('.event-type').textContent()).toBe('TaskRegistered');
  });

  it('shows the task as of an event, with what it changed, and goes back to now', async () => {
    await page.getByRole('button', { name: 'Show the task as of revision 1', exact: true }).click();
    const panel = page.locator('app-task-as-of');
    await panel.getByRole('heading', { name: 'As of revision 1' }).waitFor();
    await panel.locator('.name', { hasText: 'history v1' }).waitFor();
    expect(await panel.locator('.badge').textContent()).toBe('active');
    const changes = await panel
      .locator('.changes tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent?.trim())));
    expect(changes).toEqual([
      ['name', 'history v0', 'history v1'],
      ['timeoutMs', '30 s', '5 s'],
    ]);
    // The chosen event with its panel (the whole page is over a hundred events tall).
    await page.locator('.timeline > li.selected').screenshot({ path: join(ARTIFACTS, 'as-of-1440.png') });

    await page.getByRole('button', { name: 'Show the task as of revision 0', exact: true }).click();
    await panel.getByRole('heading', { name: 'As of revision 0' }).waitFor();
    await panel.locator('.name', { hasText: 'history v0' }).waitFor();
    await panel.getByText('This revision registered the task.').waitFor();

    await panel.getByRole('button', { name: 'Back to now' }).click();
    await panel.waitFor({ state: 'detached' });
    expect(await page.locator('h1').textContent()).toBe('history v1');
  });

  it('puts new events on top as they happen, keeping the older pages shown', async () => {
    const before = await rows().count();
    await kairos.api('POST', `/api/tasks/${taskId}/pause`);
    await waitFor(async () => (await rows().first().locator('.event-type').textContent()) === 'TaskPaused');
    expect(await rows().count()).toBe(before + 1);
  });

  it('opened every page without an uncaught error or an error on the console', () => {
    expect(browser.errors()).toEqual([]);
  });
});

/** Waits until the worker has run every trigger: the stream stops growing for a second and a half. */
async function settled(kairos: GuiApp, taskId: string): Promise<void> {
  let last = -1;
  let stableSince = Date.now();
  const deadline = Date.now() + 30_000;
  while (Date.now() - stableSince < 1500) {
    if (Date.now() > deadline) throw new Error('the task kept changing');
    const page = await kairos.api<{ items: { revision: number }[] }>(
      'GET',
      `/api/tasks/${taskId}/events?limit=1`,
    );
    const head = page.body.items[0]?.revision ?? -1;
    if (head !== last) [last, stableSince] = [head, Date.now()];
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function waitForCount(locator: ReturnType<Page['locator']>, count: number): Promise<void> {
  await waitFor(async () => (await locator.count()) === count);
}

async function waitFor(condition: () => Promise<boolean>, timeout = 8000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
