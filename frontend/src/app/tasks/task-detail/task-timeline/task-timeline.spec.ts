import type { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import {
  buttonNamed as button,
  renderComponent,
  setUpComponentTest,
} from '../../../../testing/component-test';
import { TASK_ID as ID, taskView } from '../../../../testing/task-fixtures';
import type { TaskEvent } from '../../task.model';
import { TaskTimeline } from './task-timeline';

const EVENTS = `/api/tasks/${ID}/events`;
const event = (revision: number, type: TaskEvent['type'] = 'TaskScheduled'): TaskEvent => ({
  type,
  revision,
  position: 100 + revision,
  recordedAt: '2026-11-24T09:00:00Z',
  data: { occurrence: revision, attempt: 1, dueAt: '2026-11-24T09:00:00Z', reason: 'next' },
});
const range = (newest: number, oldest: number): TaskEvent[] =>
  Array.from({ length: newest - oldest + 1 }, (_, i) => event(newest - i));

describe('TaskTimeline', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    ({ http } = setUpComponentTest(TaskTimeline));
  });
  afterEach(() => http.verify());

  const render = () => renderComponent(TaskTimeline, { taskId: ID, version: 1 });

  const eventsRequest = (): TestRequest => http.expectOne((r) => r.url === EVENTS);
  const shownRevisions = (page: HTMLElement) =>
    [...page.querySelectorAll('.timeline .as-of')].map((b) => b.textContent?.trim());

  it('reads the newest page only, then older pages on "Load older" until there are none', async () => {
    const { fixture, page } = await render();
    const first = eventsRequest();
    expect(first.request.params.get('limit')).toBe('50');
    expect(first.request.params.has('cursor')).toBe(false);
    first.flush({ items: range(6, 4), nextCursor: 'older-than-4' });
    await fixture.whenStable();
    expect(shownRevisions(page)).toEqual(['As of r6', 'As of r5', 'As of r4']);

    button(page, 'Load older')?.click();
    const older = eventsRequest();
    expect(older.request.params.get('cursor')).toBe('older-than-4');
    older.flush({ items: range(3, 0), nextCursor: null });
    await fixture.whenStable();
    expect(shownRevisions(page)).toHaveLength(7);
    expect(shownRevisions(page).at(-1)).toBe('As of r0');
    expect(button(page, 'Load older')).toBeUndefined();
  });

  it('ends a history cut by retention with where it starts instead of "Load older"', async () => {
    const { fixture, page } = await render();
    const historyStartsAt = { revision: 4, truncatedAt: '2026-11-24T09:00:00Z' };
    const marker: TaskEvent = {
      ...event(7, 'TaskHistoryTruncated'),
      data: { throughRevision: 3, throughPosition: 103, olderThan: '2026-11-23T09:00:00Z' },
    };
    eventsRequest().flush({ items: [marker, ...range(6, 5)], nextCursor: 'older-than-5', historyStartsAt });
    await fixture.whenStable();
    expect(page.querySelector('.timeline li .event-summary')?.textContent).toMatch(
      /^History through revision 3 removed by retention/,
    );
    expect(page.querySelector('.removed-history')).toBeNull();
    button(page, 'Load older')?.click();
    eventsRequest().flush({ items: [event(4)], nextCursor: null, historyStartsAt });
    await fixture.whenStable();
    expect(button(page, 'Load older')).toBeUndefined();
    expect(page.querySelector('.removed-history')?.textContent?.trim()).toMatch(
      /^History before revision 4 was removed by retention \(.+\)$/,
    );
  });

  it('puts events written since on top when the task changes, keeping the older ones', async () => {
    const { fixture, ref, page } = await render();
    eventsRequest().flush({ items: range(6, 4), nextCursor: 'older-than-4' });
    await fixture.whenStable();
    ref.setInput('version', 8);
    await fixture.whenStable();
    eventsRequest().flush({ items: range(8, 2), nextCursor: 'older-than-2' });
    await fixture.whenStable();
    expect(shownRevisions(page).slice(0, 4)).toEqual(['As of r8', 'As of r7', 'As of r6', 'As of r5']);
    expect(shownRevisions(page)).toHaveLength(5);
    button(page, 'Load older')?.click();
    expect(eventsRequest().request.params.get('cursor')).toBe('older-than-4');
  });

  it('shows the task as of a chosen event, what it changed, and goes back to now', async () => {
    const { fixture, page } = await render();
    eventsRequest().flush({
      items: [event(3, 'TaskUpdated'), event(2), event(1), event(0, 'TaskRegistered')],
      nextCursor: null,
    });
    await fixture.whenStable();
    page.querySelector<HTMLButtonElement>('[aria-label="Show the task as of revision 3"]')?.click();
    await fixture.whenStable();
    const asOf = http.expectOne((r) => r.url === `/api/tasks/${ID}` && r.params.get('asOf') === '3');
    asOf.flush({ ...task, revision: 3, recordedAt: '2026-11-24T09:00:03Z' });
    const diff = http.expectOne((r) => r.url === `/api/tasks/${ID}/diff`);
    expect([diff.request.params.get('from'), diff.request.params.get('to')]).toEqual(['2', '3']);
    diff.flush({
      from: { revision: 2, recordedAt: '2026-11-24T09:00:02Z' },
      to: { revision: 3, recordedAt: '2026-11-24T09:00:03Z' },
      changes: [{ field: 'name', before: 'old name', after: 'report' }],
    });
    await fixture.whenStable();
    const panel = page.querySelector('app-task-as-of');
    expect(panel?.querySelector('h3')?.textContent).toContain('As of revision 3');
    expect(panel?.querySelector('.name')?.textContent).toBe('report');
    expect(panel?.querySelector('.badge')?.textContent).toBe('paused');
    const row = [...(panel?.querySelectorAll('.changes tbody td') ?? [])].map((td) => td.textContent?.trim());
    expect(row).toEqual(['old name', 'report']);
    expect(page.querySelector('li.selected [aria-pressed="true"]')).not.toBeNull();

    button(page, 'Back to now')?.click();
    await fixture.whenStable();
    expect(page.querySelector('app-task-as-of')).toBeNull();
  });

  it('says the first revision registered the task, asking for no diff', async () => {
    const { fixture, page } = await render();
    eventsRequest().flush({ items: [event(0, 'TaskRegistered')], nextCursor: null });
    await fixture.whenStable();
    page.querySelector<HTMLButtonElement>('[aria-label="Show the task as of revision 0"]')?.click();
    await fixture.whenStable();
    http
      .expectOne((r) => r.params.get('asOf') === '0')
      .flush({ ...task, revision: 0, recordedAt: '2026-11-24T09:00:00Z' });
    await fixture.whenStable();
    expect(page.querySelector('.no-change')?.textContent).toContain('registered the task');
  });
});

const task = taskView({
  schedule: { kind: 'cron', expression: '0 9 * * *', timezone: 'UTC' },
  status: 'paused',
});
