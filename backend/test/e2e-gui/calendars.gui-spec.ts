import { screenshot } from './browser';
import { waitFor } from '../wait-for';
import { guiSession } from './gui-session';

/**
 * Calendars in the GUI (issue 17, item 1): the editor's rows of each kind and its month view, which
 * marks the excluded days as the rows change; the saved calendar in the list; and a calendar chosen in
 * the task form, which the registered task then names.
 */
describe('GUI: calendars', () => {
  const gui = guiSession();
  // The month view opens on the current month (the browser's clock is this machine's).
  const now = new Date();
  const year = now.getFullYear();
  const month = now.getMonth() + 1;
  const pad = (n: number) => String(n).padStart(2, '0');
  const daysInMonth = new Date(year, month, 0).getDate();
  const weekendDays = Array.from({ length: daysInMonth }, (_, i) => i + 1).filter((day) =>
    [0, 6].includes(new Date(year, month - 1, day).getDay()),
  );
  const weekday15 = [0, 6].includes(new Date(year, month - 1, 15).getDay()) ? 17 : 15;
  const markedDays = async () =>
    (
      await gui.page
        .locator('li.day.excluded')
        .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-day')))
    )
      .map(Number)
      .sort((a, b) => a - b);

  it('edits a calendar whose month view marks the excluded days, and lists it once saved', async () => {
    await gui.page.goto(`${gui.kairos.baseUrl}/calendars`);
    await gui.page.getByRole('link', { name: 'New calendar' }).click();
    await gui.page.waitForURL(/\/calendars\/new$/);
    await gui.page.getByLabel('Name', { exact: true }).fill('gui holidays');
    await gui.page.getByLabel('Time zone').fill('UTC');

    await gui.page.getByRole('button', { name: 'Add exclusion' }).click();
    await gui.page
      .getByRole('group', { name: 'Exclusion 1' })
      .getByLabel('Day')
      .fill(`${year}-${pad(month)}-${pad(weekday15)}`);
    await waitFor(
      async () => JSON.stringify(await markedDays()) === JSON.stringify([weekday15]),
      5000,
      'one day',
    );

    await gui.page.getByRole('button', { name: 'Add exclusion' }).click();
    const second = gui.page.getByRole('group', { name: 'Exclusion 2' });
    await second.getByRole('combobox', { name: 'Kind' }).click();
    await gui.page.getByRole('option', { name: 'Cron expression' }).click();
    await second.getByLabel('Cron expression').fill('* * * * 0,6');
    const expected = JSON.stringify([...weekendDays, weekday15].sort((a, b) => a - b));
    await waitFor(async () => JSON.stringify(await markedDays()) === expected, 5000, 'weekends and the day');
    expect(await gui.page.locator(`li.day[data-day="${weekday15}"]`).getAttribute('aria-label')).toContain(
      'excluded',
    );
    await screenshot(gui.page, 'calendar-editor-1440');

    // The next month is shown on request, with its own weekends (and not the day, which is this month's).
    await gui.page.getByRole('button', { name: 'Next month' }).click();
    const next = new Date(year, month, 1);
    const nextWeekends = Array.from(
      { length: new Date(next.getFullYear(), next.getMonth() + 1, 0).getDate() },
      (_, i) => i + 1,
    ).filter((day) => [0, 6].includes(new Date(next.getFullYear(), next.getMonth(), day).getDay()));
    await waitFor(
      async () => JSON.stringify(await markedDays()) === JSON.stringify(nextWeekends),
      5000,
      'the next month marked',
    );
    await gui.page.getByRole('button', { name: 'Previous month' }).click();

    await gui.page.getByRole('button', { name: 'Save calendar' }).click();
    await gui.page.waitForURL(/\/calendars\?minPosition=\d+$/);
    await gui.page.getByRole('link', { name: 'gui holidays' }).waitFor();
    expect(await gui.page.locator('table.calendars tbody tr').first().textContent()).toContain(
      '2 exclusions',
    );
  });

  it('refuses a bad row with the server reason at the row', async () => {
    await gui.page.getByRole('link', { name: 'gui holidays' }).click();
    await gui.page.waitForURL(/\/calendars\/[0-9a-f-]{36}$/);
    const second = gui.page.getByRole('group', { name: 'Exclusion 2' });
    await second.getByLabel('Cron expression').fill('* * * * 9');
    await gui.page.getByRole('button', { name: 'Save calendar' }).click();
    await second.getByRole('alert').waitFor();
    expect(await second.getByRole('alert').textContent()).toContain('cron');
    await second.getByLabel('Cron expression').fill('* * * * 0,6');
  });

  it('chooses the calendar in the task form; the task names it', async () => {
    const calendars = await gui.kairos.api<{ items: { id: string; name: string }[] }>(
      'GET',
      '/api/calendars',
    );
    const calendarId = calendars.body.items.find((c) => c.name === 'gui holidays')?.id;
    expect(calendarId).toBeDefined();

    await gui.page.goto(`${gui.kairos.baseUrl}/tasks/new`);
    await gui.page.getByLabel('Name', { exact: true }).fill('gui with calendar');
    await gui.page.getByRole('combobox', { name: 'Calendars (optional)' }).click();
    await gui.page.getByRole('option', { name: 'gui holidays (UTC)' }).click();
    await gui.page.keyboard.press('Escape');
    await gui.page.getByText('Log a message').click();
    await gui.page.getByLabel('Message').fill('hello');
    await gui.page.getByRole('button', { name: 'Create task' }).click();
    await gui.page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    const taskId = gui.page.url().split('/').at(-1) ?? '';
    // The task page names its calendar.
    await gui.page.locator('dd.calendars').filter({ hasText: 'gui holidays' }).waitFor();
    const task = await gui.kairos.api<{ calendars?: string[] }>('GET', `/api/tasks/${taskId}`);
    expect(task.body.calendars).toEqual([calendarId]);
  });

  it('opened every page without an uncaught error or an error on the console', () => {
    expect(gui.browser.errors()).toEqual([]);
  });
});
