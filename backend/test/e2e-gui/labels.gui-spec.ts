import { screenshot } from './browser';
import { waitFor } from '../wait-for';
import { guiSession } from './gui-session';

/**
 * Labels in the GUI (issue 17): a task created with a label from the form, the list filtered by label
 * to exactly the labelled tasks, and every matching task paused from the list in one click.
 */
describe('GUI: labels', () => {
  const gui = guiSession();

  const task = (name: string, labels?: Record<string, string>) => ({
    name,
    schedule: { kind: 'interval', everySeconds: 3600 },
    action: { kind: 'log', message: 'x' },
    ...(labels && { labels }),
  });
  const rowNames = () => gui.page.locator('table.tasks tbody tr td.name a').allTextContents();

  it('creates a labelled task from the form', async () => {
    await gui.page.goto(`${gui.kairos.baseUrl}/tasks/new`);
    await gui.page.getByLabel('Name', { exact: true }).fill('gui labelled');
    await gui.page.getByRole('button', { name: 'Add label' }).click();
    const label = gui.page.getByRole('group', { name: 'Label 1' });
    await label.getByLabel('Key').fill('team');
    await label.getByLabel('Value').fill('gui');
    await gui.page.getByText('Log a message').click();
    await gui.page.getByLabel('Message').fill('hello');
    await gui.page.getByRole('button', { name: 'Create task' }).click();
    await gui.page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    await gui.page.getByRole('list', { name: 'Labels' }).getByText('team:gui').waitFor();
  });

  it('filters the list by label and pauses every matching task', async () => {
    for (const body of [
      task('gui other', { team: 'gui' }),
      task('gui unlabelled'),
      task('gui ops', { team: 'ops' }),
    ]) {
      expect((await gui.kairos.api('POST', '/api/tasks', body)).status).toBe(201);
    }
    await gui.page.goto(`${gui.kairos.baseUrl}/tasks`);
    await gui.page.locator('table.tasks tbody tr').first().waitFor();
    const input = gui.page.locator('input.label-input');
    await input.fill('team:gui');
    await input.press('Enter');
    const expected = JSON.stringify(['gui labelled', 'gui other']);
    await waitFor(
      async () => JSON.stringify((await rowNames()).sort()) === expected,
      10_000,
      'the labelled rows only',
    );

    await gui.page.getByRole('button', { name: 'Pause all matching' }).click();
    await gui.page.getByRole('status').filter({ hasText: '2 of 2 matching tasks paused' }).waitFor();
    await waitFor(
      async () => (await gui.page.locator('table.tasks tbody tr .badge.paused').count()) === 2,
      10_000,
      'both rows paused',
    );
    await screenshot(gui.page, 'labels-1440');
  });

  it('opened every page without an uncaught error or an error on the console', () => {
    expect(gui.browser.errors()).toEqual([]);
  });
});
