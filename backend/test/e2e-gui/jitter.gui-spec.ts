import { screenshot } from './browser';
import { waitFor } from '../wait-for';
import { guiSession } from './gui-session';

/**
 * Jitter in the GUI (issue 17): set in the task form's policies, held to the contract's bounds, shown
 * on the task page, removed again by an edit to 0; a jittered run shows how far its start was moved.
 */
describe('GUI: jitter', () => {
  const gui = guiSession();
  const jitterText = () => gui.page.getByTestId('jitter');

  it('sets jitter in the form, refuses one over the limit, and shows it on the task page', async () => {
    await gui.page.goto(`${gui.kairos.baseUrl}/tasks/new`);
    await gui.page.getByLabel('Name', { exact: true }).fill('gui jittered');
    await gui.page.getByText('Log a message').click();
    await gui.page.getByLabel('Message').fill('hello');
    await gui.page.getByText('Policies', { exact: true }).click();
    const jitter = gui.page.getByLabel('Jitter (ms)');
    await jitter.fill('3600001');
    await jitter.blur();
    await gui.page.getByText('At most 3600000').waitFor();
    await jitter.fill('2500');
    await gui.page.getByRole('button', { name: 'Create task' }).click();
    await gui.page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    await jitterText().filter({ hasText: 'each run starts up to 2.5 s late' }).waitFor();
    const id = /\/tasks\/([0-9a-f-]{36})$/.exec(gui.page.url())?.[1] ?? '';
    expect((await gui.kairos.api<{ jitterMs?: number }>('GET', `/api/tasks/${id}`)).body.jitterMs).toBe(2500);

    // An edit to 0 removes it.
    await gui.page.getByRole('link', { name: 'Edit' }).click();
    await gui.page.getByText('Policies', { exact: true }).click();
    await expect(gui.page.getByLabel('Jitter (ms)').inputValue()).resolves.toBe('2500');
    await gui.page.getByLabel('Jitter (ms)').fill('0');
    await gui.page.getByRole('button', { name: 'Save changes' }).click();
    await gui.page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    await waitFor(
      async () =>
        (await gui.kairos.api<{ jitterMs?: number }>('GET', `/api/tasks/${id}`)).body.jitterMs === undefined,
      10_000,
      'jitter removed',
    );
    await waitFor(async () => (await jitterText().count()) === 0, 10_000, 'no jitter shown');
  });

  it('shows how far jitter moved a run in the executions', async () => {
    const created = await gui.kairos.api<{ id: string }>('POST', '/api/tasks', {
      name: 'gui jittered runs',
      schedule: { kind: 'interval', everySeconds: 2 },
      action: { kind: 'log', message: 'x' },
      jitterMs: 1500,
    });
    expect(created.status).toBe(201);
    await gui.page.goto(`${gui.kairos.baseUrl}/tasks/${created.body.id}`);
    await jitterText().filter({ hasText: 'up to 1.5 s' }).waitFor();
    // Every run of this task is jittered (offsets of 0 ms aside): wait for one that moved.
    const planned = gui.page.locator('table.executions .planned').first();
    await planned.waitFor({ timeout: 15_000 });
    expect(await planned.textContent()).toMatch(/^\+\d+(\.\d+)? (ms|s) jitter$/);
    // The occurrence ledger shows it too, beside the lag counted from the plan.
    const ledgerPlanned = gui.page.locator('table.occurrences .planned').first();
    await ledgerPlanned.waitFor({ timeout: 15_000 });
    expect((await ledgerPlanned.textContent())?.trim()).toMatch(/^\+\d+(\.\d+)? (ms|s) jitter$/);
    await screenshot(gui.page, 'jitter-1440');
  });

  it('opened every page without an uncaught error or an error on the console', () => {
    expect(gui.browser.errors()).toEqual([]);
  });
});
