import { screenshot } from './browser';
import { waitFor } from '../wait-for';
import { guiSession } from './gui-session';

/**
 * The alert on failure in the GUI (issue 17): the form's URL (checked like the action's) and header
 * rows, the task page showing it, and an edit that clears it removing it.
 */
describe('GUI: alert on failure', () => {
  const gui = guiSession();

  it('creates a task with an alert from the form and shows it on the task page', async () => {
    await gui.page.goto(`${gui.kairos.baseUrl}/tasks/new`);
    await gui.page.getByLabel('Name', { exact: true }).fill('gui alerting');
    await gui.page.getByText('Log a message').click();
    await gui.page.getByLabel('Message').fill('hello');
    const alertUrl = gui.page.getByLabel('Alert URL');
    await alertUrl.fill('ftp://example.com/alerts');
    await gui.page.getByRole('button', { name: 'Create task' }).click();
    // The form's own check, or the server's (while the cron check is pending the form sends).
    const error = gui.page.locator('fieldset.alert mat-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/absolute http/);

    await alertUrl.fill('https://alerts.example.com/kairos');
    await gui.page.getByRole('button', { name: 'Add alert header' }).click();
    const header = gui.page.getByRole('group', { name: 'Alert header 1' });
    await header.getByLabel('Name').fill('X-Team');
    await header.getByLabel('Value').fill('ops');
    await screenshot(gui.page, 'alert-form-1440');
    await gui.page.getByRole('button', { name: 'Create task' }).click();
    await gui.page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    await gui.page.locator('code.alert-url', { hasText: 'POST https://alerts.example.com/kairos' }).waitFor();

    const id = /\/tasks\/([0-9a-f-]{36})$/.exec(gui.page.url())?.[1];
    const body = (await gui.kairos.api('GET', `/api/tasks/${id}`)).body as { onFailure?: unknown };
    expect(body.onFailure).toEqual({
      kind: 'http',
      url: 'https://alerts.example.com/kairos',
      headers: { 'X-Team': 'ops' },
    });
  });

  it('removes the alert when an edit clears its URL', async () => {
    const id = /\/tasks\/([0-9a-f-]{36})$/.exec(gui.page.url())?.[1];
    await gui.page.goto(`${gui.kairos.baseUrl}/tasks/${id}/edit`);
    const alertUrl = gui.page.getByLabel('Alert URL');
    await waitFor(
      async () => (await alertUrl.inputValue()) === 'https://alerts.example.com/kairos',
      10_000,
      'the form filled with the alert',
    );
    await alertUrl.fill('');
    await gui.page.getByRole('button', { name: 'Save changes' }).click();
    await gui.page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    await gui.page.locator('dt:text-is("Alert on failure") + dd', { hasText: 'none' }).waitFor();
    expect(await gui.page.locator('code.alert-url').count()).toBe(0);
    const body = (await gui.kairos.api('GET', `/api/tasks/${id}`)).body as { onFailure?: unknown };
    expect(body.onFailure).toBeUndefined();
  });

  it('opened every page without an uncaught error or an error on the console', () => {
    expect(gui.browser.errors()).toEqual([]);
  });
});
