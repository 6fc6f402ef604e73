import type { HttpTestingController } from '@angular/common/http/testing';
import { renderComponent, setUpComponentTest } from '../../../../testing/component-test';
import { TASK_ID as ID } from '../../../../testing/task-fixtures';
import type { OccurrenceLedger } from '../../task.model';
import { TaskOccurrences } from './task-occurrences';

const URL = `/api/tasks/${ID}/occurrences`;
const ledger: OccurrenceLedger = {
  taskId: ID,
  from: '2026-11-24T08:00:05Z',
  to: '2026-11-24T09:00:05Z',
  now: '2026-11-24T09:00:05Z',
  items: [
    {
      dueAt: '2026-11-24T09:00:00Z',
      kind: 'schedule',
      status: 'executed',
      occurrence: 1,
      outcome: 'succeeded',
      attempts: 1,
      lagMs: 12,
    },
    { dueAt: '2026-11-24T09:00:01Z', kind: 'schedule', status: 'paused', reason: 'paused' },
    { dueAt: '2026-11-24T09:00:02Z', kind: 'schedule', status: 'skipped', occurrence: 2, reason: 'overlap' },
    { dueAt: '2026-11-24T09:00:03Z', kind: 'schedule', status: 'misfired', reason: 'misfire', coveredBy: 3 },
    { dueAt: '2026-11-24T09:00:03.500Z', kind: 'manual', status: 'running', occurrence: 4 },
  ],
  counts: {
    executed: 1,
    running: 1,
    scheduled: 0,
    waiting: 0,
    skipped: 1,
    paused: 1,
    misfired: 1,
    upcoming: 0,
    missing: 0,
  },
};

describe('TaskOccurrences', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    ({ http } = setUpComponentTest(TaskOccurrences));
  });

  const render = () => renderComponent(TaskOccurrences, { taskId: ID, timeZone: 'UTC' });
  const rows = (page: HTMLElement) =>
    [...page.querySelectorAll('table.occurrences tbody tr')].map((tr) => ({
      status: tr.className,
      cells: [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim()),
    }));

  it('reads the last hour and lists each instant newest first, coloured by status, with why', async () => {
    const { fixture, page } = await render();
    const request = http.expectOne((r) => r.url === URL);
    const { from, to } = Object.fromEntries(
      request.request.params.keys().map((k) => [k, request.request.params.get(k)]),
    );
    expect(Date.parse(to!) - Date.parse(from!)).toBe(3_600_000);
    request.flush(ledger);
    await fixture.whenStable();
    const shown = rows(page);
    expect(shown.map((r) => r.status)).toEqual(['running', 'misfired', 'skipped', 'paused', 'executed']);
    expect(shown[0].cells[0]).toContain('manual');
    expect(shown[1].cells[2]).toBe('passed over by the late run #3 (misfire policy)');
    expect(shown[2].cells[2]).toBe('skipped: the previous run was still running');
    expect(shown[3].cells[2]).toBe('the task was paused');
    expect(shown[4].cells.slice(1)).toEqual(['executed', 'succeeded', '#1', '12 ms']);
    expect(page.querySelector('tbody tr.paused .badge.paused')).not.toBeNull();
    fixture.destroy();
  });

  it('filters by a status count, and reads another window when asked', async () => {
    const { fixture, page } = await render();
    http.expectOne((r) => r.url === URL).flush(ledger);
    await fixture.whenStable();
    const counts = [...page.querySelectorAll<HTMLLabelElement>('.counts label')];
    expect(counts.map((label) => label.textContent?.replace(/\s+/g, ''))).toEqual([
      'executed1',
      'running1',
      'skipped1',
      'paused1',
      'misfired1',
    ]);
    counts[3].querySelector('input')?.click();
    await fixture.whenStable();
    expect(rows(page).map((r) => r.status)).toEqual(['paused']);
    counts[0].querySelector('input')?.click();
    await fixture.whenStable();
    expect(rows(page).map((r) => r.status)).toEqual(['paused', 'executed']);

    const sixHours = [...page.querySelectorAll<HTMLButtonElement>('mat-button-toggle button')].find(
      (b) => b.textContent?.trim() === '6 hours',
    );
    sixHours?.click();
    await new Promise((resolve) => setTimeout(resolve, 2100)); // refreshes are throttled to one per 2 s
    await fixture.whenStable();
    const request = http.expectOne((r) => r.url === URL);
    const params = request.request.params;
    expect(Date.parse(params.get('to')!) - Date.parse(params.get('from')!)).toBe(6 * 3_600_000);
    fixture.destroy();
  });

  it('reads again when the task changes, and says when it cannot', async () => {
    const { fixture, ref, page } = await render();
    http.expectOne((r) => r.url === URL).flush(ledger);
    ref.setInput('version', 7);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await fixture.whenStable();
    http
      .expectOne((r) => r.url === URL)
      .flush(
        {
          status: 400,
          code: 'validation_failed',
          detail: 'from: the window holds more than 10000 due instants',
        },
        { status: 400, statusText: 'Bad Request' },
      );
    await fixture.whenStable();
    expect(page.querySelector('[role=alert]')?.textContent).toContain('more than 10000 due instants');
    fixture.destroy();
  });
});
