import { screenshot } from './browser';
import { guiSession } from './gui-session';

/**
 * Concurrency limits in the GUI (issue 17, ADR 019): the form's key and limit are checked as the API
 * checks them, a task created with them shows its limit on its page, and editing keeps it.
 */
describe('GUI: concurrency limits', () => {
  const gui = guiSession();

  it('refuses a limit without a key and a bad key, then creates a limited task and shows its limit', async () => {
    const { page } = gui;
    await page.goto(`${gui.kairos.baseUrl}/tasks/new`);
    await page.getByLabel('Name', { exact: true }).fill('gui limited');
    await page.getByText('Log a message').click();
    await page.getByLabel('Message').fill('hello');
    const group = page.getByRole('group', { name: 'Concurrency limit' });
    const key = group.getByLabel('Concurrency key');
    const limit = group.getByLabel('At most running at once');

    await limit.fill('2');
    await page.getByRole('button', { name: 'Create task' }).click();
    await group.getByText('Give a key for this limit').waitFor();
    await key.fill('billing db');
    await key.blur();
    await group.getByText('Letters, digits, . _ - (starting and ending with a letter or digit)').waitFor();
    await key.fill('billing-db');
    await limit.fill('0');
    await limit.blur();
    await group.getByText('A whole number from 1 to 1000').waitFor();
    await limit.fill('2');
    expect(page.url()).toMatch(/\/tasks\/new$/); // nothing was sent while the fields were refused

    await page.getByRole('button', { name: 'Create task' }).click();
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    const shown = page.locator('dd.concurrency');
    await shown.waitFor();
    expect((await shown.textContent())?.replace(/\s+/g, ' ').trim()).toBe(
      'key billing-db, at most 2 running at once',
    );
    const id = /\/tasks\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
    const task = await gui.kairos.api<{ concurrency?: unknown }>('GET', `/api/tasks/${id}`);
    expect(task.body.concurrency).toEqual({ key: 'billing-db', limit: 2 });
    await screenshot(page, 'concurrency-1440');

    // The edit form is filled with the limit.
    await page.goto(`${gui.kairos.baseUrl}/tasks/${id}/edit`);
    await page.getByRole('group', { name: 'Concurrency limit' }).getByLabel('Concurrency key').waitFor();
    expect(await page.getByLabel('Concurrency key').inputValue()).toBe('billing-db');
    expect(await page.getByLabel('At most running at once').inputValue()).toBe('2');
  });

  it('opened every page without an uncaught error or an error on the console', () => {
    expect(gui.browser.errors()).toEqual([]);
  });
});
