import { screenshot } from './browser';
import { waitFor } from '../wait-for';
import { guiSession } from './gui-session';

/**
 * Backfill from the task page (issue 17): the dialog takes a window in the viewer's zone (the browser
 * runs in Europe/Berlin), says how many past occurrences it scheduled, shows the server's refusal
 * inline, and the executions show the runs as backfill, on a paused task.
 */
describe('GUI: backfill', () => {
  const gui = guiSession();

  /** An instant as a datetime-local value in Europe/Berlin, the browser's zone. */
  const berlinLocal = (ms: number) =>
    new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Berlin',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .format(new Date(ms))
      .replace(' ', 'T');

  it('backfills 20 s of a */2 cron on a paused task: 10 runs, shown as backfill', async () => {
    const created = await gui.kairos.api<{ id: string }>('POST', '/api/tasks', {
      name: 'gui backfill',
      schedule: { kind: 'cron', expression: '*/2 * * * * *', timezone: 'UTC' },
      action: { kind: 'log', message: 'again' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await gui.kairos.api('POST', `/api/tasks/${id}/pause`)).status).toBe(200);

    await gui.page.goto(`${gui.kairos.baseUrl}/tasks/${id}`);
    await gui.page.locator('.page-header .badge.paused').waitFor();
    await gui.page.getByRole('button', { name: 'Backfill…' }).click();
    const dialog = gui.page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Backfill “gui backfill”' }).waitFor();

    // A reversed window first: the server's refusal shows in the dialog, naming the field.
    const from = Math.floor((Date.now() - 60_000) / 2000) * 2000;
    await dialog.getByLabel('From').fill(berlinLocal(from + 20_000));
    await dialog.getByLabel('To').fill(berlinLocal(from));
    await dialog.getByRole('button', { name: 'Backfill' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('to:');

    await dialog.getByLabel('From').fill(berlinLocal(from));
    await dialog.getByLabel('To').fill(berlinLocal(from + 20_000));
    await dialog.getByRole('button', { name: 'Backfill' }).click();
    await dialog.getByRole('status').filter({ hasText: '10 past occurrences scheduled.' }).waitFor();
    expect(await dialog.getByRole('alert').count()).toBe(0);
    await screenshot(gui.page, 'backfill-dialog-1440');

    // Again: nothing new, and the dialog says why.
    await dialog.getByRole('button', { name: 'Backfill' }).click();
    await dialog
      .getByRole('status')
      .filter({ hasText: '0 past occurrences scheduled, 10 already backfilled before.' })
      .waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    const backfillRows = gui.page.locator('table.executions tbody tr', {
      has: gui.page.locator('.badge.backfill'),
    });
    await waitFor(async () => (await backfillRows.count()) === 10, 15_000, '10 backfill executions shown');
    expect(await gui.page.locator('.page-header .badge.paused').count()).toBe(1);
    // The occurrence ledger lists them too, as backfill runs beside the schedule's instants.
    const ledgerBackfills = gui.page.locator('app-task-occurrences tbody tr .kind', { hasText: 'backfill' });
    await waitFor(
      async () => (await ledgerBackfills.count()) === 10,
      15_000,
      '10 backfill items in the ledger',
    );
    const page = await gui.kairos.api<{ items: { reason: string; dueAt: string }[] }>(
      'GET',
      `/api/tasks/${id}/executions`,
    );
    expect(page.body.items.map((e) => [e.reason, Date.parse(e.dueAt)]).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => ['backfill', from + i * 2000]).sort(),
    );
    await screenshot(gui.page, 'backfill-1440');
  });

  it('opened every page without an uncaught error or an error on the console', () => {
    expect(gui.browser.errors()).toEqual([]);
  });
});
