import type { Page } from 'playwright-core';
import { launchBrowser, screenshot, type TestBrowser } from './browser';
import { type GuiApp, startGuiApp } from './gui-app';

/**
 * The acceptance scenario, step by step in one browser (two tabs). Steps named "[needs workers]"
 * depend on the worker role firing tasks; they fail until the workers are part of the app.
 */
const NAME = 'e2e every 2 s <img src=x onerror="window.__xss=1">';
const LIVE_WITHIN_MS = 3000;

describe('GUI acceptance: a cron task through its whole life', () => {
  let kairos: GuiApp;
  let browser: TestBrowser;
  let page: Page;
  let otherTab: Page;
  let taskId = '';

  const executionRows = () => page.locator('table.executions tbody tr');
  const statusBadge = () => page.locator('.page-header .badge');
  const timelineTypes = () => page.locator('.timeline .event-type').allTextContents();

  beforeAll(async () => {
    kairos = await startGuiApp();
    browser = await launchBrowser();
    page = await browser.newPage();
    otherTab = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await kairos?.close();
  });

  it('serves the GUI, keyboard first: a skip link, then the navigation; and shows the connection', async () => {
    await otherTab.goto(`${kairos.baseUrl}/tasks`);
    await otherTab.keyboard.press('Tab');
    expect(await otherTab.evaluate('document.activeElement?.textContent?.trim()')).toBe('Skip to content');
    await otherTab.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await otherTab.getByText('No tasks yet').waitFor();
  });

  it('rejects an invalid cron expression at the field before anything is sent', async () => {
    await page.goto(`${kairos.baseUrl}/tasks/new`);
    await page.getByLabel('Name', { exact: true }).fill(NAME);
    const expression = page.getByLabel('Cron expression');
    await expression.fill('*/2 * * 61 *');
    await expression.press('Tab');
    const field = page.locator('mat-form-field', { has: expression });
    await field.locator('mat-error').filter({ hasText: 'invalid cron expression' }).waitFor();
    await page.getByRole('button', { name: 'Create task' }).click();
    expect(page.url()).toMatch(/\/tasks\/new$/);
  });

  it('describes a valid expression and lists its next 5 runs in the chosen zone', async () => {
    await page.getByLabel('Cron expression').fill('*/2 * * * * *');
    const zone = page.getByRole('combobox', { name: 'Time zone' });
    await zone.fill('Europe/Berlin');
    await zone.press('Escape');
    await page.getByText('Every 2 seconds').waitFor();
    await page.getByText('Log a message').click();
    await page.getByLabel('Message').fill('hello from the GUI test');
    await expectCount(page.locator('.preview li'), 5);
    expect(await page.locator('.preview h3').textContent()).toContain('Europe/Berlin');
    await screenshot(page, 'form-1440');
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'form-375');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('creates the task and opens its page; the name shows as text, never as markup', async () => {
    await page.getByRole('button', { name: 'Create task' }).click();
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    taskId = page.url().split('/').at(-1) ?? '';
    await expectText(page.locator('h1'), NAME);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    await expectCount(page.locator('.next li'), 5);
  });

  it('another tab’s list shows the new task without a reload', async () => {
    await otherTab.getByRole('link', { name: NAME }).waitFor({ timeout: LIVE_WITHIN_MS });
    expect(await otherTab.locator('tbody tr').first().locator('td').nth(1).textContent()).toContain(
      'Every 2 seconds (Europe/Berlin)',
    );
  });

  it('[needs workers] shows executions appearing within 3 s, without a reload', async () => {
    await executionRows().first().waitFor({ timeout: LIVE_WITHIN_MS });
    await page.locator('table.executions .badge.succeeded').first().waitFor({ timeout: LIVE_WITHIN_MS });
  });

  it('pauses; then no execution starts', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await expectText(statusBadge(), 'paused');
    await page.waitForTimeout(500); // an execution started just before the pause may still finish
    const before = await executionRows().count();
    await page.waitForTimeout(LIVE_WITHIN_MS);
    expect(await executionRows().count()).toBe(before);
    await page.getByText('None while paused.').waitFor();
  });

  it('resumes', async () => {
    await page.getByRole('button', { name: 'Resume' }).click();
    await expectText(statusBadge(), 'active');
    await expectCount(page.locator('.next li'), 5);
  });

  it('[needs workers] triggers a run now', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await expectText(statusBadge(), 'paused');
    const before = await executionRows().count();
    await page.getByRole('button', { name: 'Trigger now' }).click();
    await page.getByText('Triggered').waitFor();
    await expectCount(executionRows(), before + 1, LIVE_WITHIN_MS);
    await page.getByRole('button', { name: 'Resume' }).click();
    await expectText(statusBadge(), 'active');
  });

  it('edits the schedule', async () => {
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.waitForURL(/\/edit$/);
    const expression = page.getByLabel('Cron expression');
    await expectValue(expression, '*/2 * * * * *');
    await expression.fill('*/5 * * * * *');
    await page.getByText('Every 5 seconds').waitFor();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(new RegExp(`/tasks/${taskId}$`));
    await page.getByText('Every 5 seconds (Europe/Berlin)').waitFor();
  });

  it('lists every step in the event timeline, each expandable to its JSON', async () => {
    await page.waitForTimeout(1000);
    // The timeline reads a page at a time, newest first: load older pages back to the registration.
    const older = page.getByRole('button', { name: 'Load older' });
    while (await older.isVisible()) {
      const shown = await page.locator('.timeline > li').count();
      await older.click();
      await expectMore(page.locator('.timeline > li'), shown);
    }
    const types = await timelineTypes();
    for (const type of ['TaskRegistered', 'TaskScheduled', 'TaskPaused', 'TaskResumed', 'TaskUpdated']) {
      expect(types).toContain(type);
    }
    const newest = page.locator('.timeline details').first();
    await newest.locator('summary').click();
    expect(await newest.locator('pre').textContent()).toContain('"revision"');
    await screenshot(page, 'detail-1440');
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'detail-375');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('[needs workers] the timeline also shows the runs', async () => {
    const types = await timelineTypes();
    expect(types).toContain('TaskExecutionStarted');
    expect(types).toContain('TaskExecuted');
  });

  it('shows the list and the dashboard', async () => {
    await screenshot(otherTab, 'list-1440');
    await otherTab.setViewportSize({ width: 375, height: 800 });
    await screenshot(otherTab, 'list-375');
    await otherTab.setViewportSize({ width: 1440, height: 900 });
    await otherTab.getByRole('link', { name: 'Dashboard' }).click();
    await otherTab.getByRole('heading', { name: 'Executions per minute' }).waitFor();
    await otherTab.locator('app-chart svg').first().waitFor();
    await otherTab.waitForTimeout(500);
    await screenshot(otherTab, 'dashboard-1440');
    await otherTab.setViewportSize({ width: 375, height: 800 });
    await otherTab.waitForTimeout(300);
    await screenshot(otherTab, 'dashboard-375');
    await otherTab.setViewportSize({ width: 1440, height: 900 });
    await otherTab.emulateMedia({ colorScheme: 'dark' });
    await otherTab.reload();
    await otherTab.locator('app-chart svg').first().waitFor();
    await screenshot(otherTab, 'dashboard-dark-1440');
    await otherTab.emulateMedia({ colorScheme: 'light' });
    await otherTab.getByRole('link', { name: 'Tasks' }).click();
  });

  it('deletes after a confirmation; the other tab’s list drops it live', async () => {
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('cannot be restored').waitFor();
    await dialog.getByRole('button', { name: 'Delete task' }).click();
    await page.waitForURL(/\/tasks$/);
    await otherTab.getByRole('link', { name: NAME }).waitFor({ state: 'detached', timeout: LIVE_WITHIN_MS });
    const events = await kairos.api<{ items: { type: string }[] }>('GET', `/api/tasks/${taskId}/events`);
    expect(events.body.items[0]?.type).toBe('TaskDeleted'); // newest first
  });

  it('opened every page without an uncaught error or an error on the console', () => {
    expect(browser.errors()).toEqual([]);
  });
});

async function expectCount(
  locator: ReturnType<Page['locator']>,
  count: number,
  timeout = 5000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  while ((await locator.count()) !== count) {
    if (Date.now() > deadline)
      throw new Error(`expected ${count} of ${locator.toString()}, found ${await locator.count()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function expectMore(locator: ReturnType<Page['locator']>, than: number, timeout = 5000): Promise<void> {
  const deadline = Date.now() + timeout;
  while ((await locator.count()) <= than) {
    if (Date.now() > deadline) throw new Error(`expected more than ${than} of ${locator.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function expectText(locator: ReturnType<Page['locator']>, text: string, timeout = 5000): Promise<void> {
  const deadline = Date.now() + timeout;
  let seen: string | null = null;
  while ((seen = (await locator.first().textContent())?.trim() ?? null) !== text) {
    if (Date.now() > deadline) throw new Error(`expected "${text}" in ${locator.toString()}, saw "${seen}"`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function expectValue(
  locator: ReturnType<Page['locator']>,
  value: string,
  timeout = 5000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  while ((await locator.inputValue()) !== value) {
    if (Date.now() > deadline)
      throw new Error(`expected the value "${value}", saw "${await locator.inputValue()}"`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
