import type { HttpTestingController } from '@angular/common/http/testing';
import { buttonNamed, renderComponent, setUpComponentTest } from '../../../testing/component-test';
import { TASK_ID as ID, taskView } from '../../../testing/task-fixtures';
import type { FakeLiveConnection } from '../../live/fake-live-connection';
import type { Execution, TaskEvent } from '../task.model';
import { TaskDetail } from './task-detail';

const task = taskView({
  name: 'every two seconds',
  nextDueAt: '2026-11-24T09:00:06Z',
  nextOccurrences: ['2026-11-24T09:00:06Z', '2026-11-24T09:00:08Z'],
});
const executions: Execution[] = [
  {
    taskId: ID,
    occurrence: 1,
    attempt: 1,
    dueAt: '2026-11-24T09:00:02Z',
    plannedAt: null,
    startedAt: '2026-11-24T09:00:02.012Z',
    finishedAt: '2026-11-24T09:00:02.020Z',
    outcome: 'succeeded',
    lagMs: 12,
    durationMs: 8,
    workerId: 'w1',
    output: 'hi',
    error: null,
    reason: 'registered',
    waitedMs: null,
  },
];
const events: TaskEvent[] = [
  { type: 'TaskExecuted', revision: 2, position: 3, recordedAt: '2026-11-24T09:00:02.020Z', data: {} },
  { type: 'TaskExecutionStarted', revision: 1, position: 2, recordedAt: '2026-11-24T09:00:02Z', data: {} },
  { type: 'TaskRegistered', revision: 0, position: 1, recordedAt: '2026-11-24T09:00:00Z', data: {} },
];

describe('TaskDetail', () => {
  let http: HttpTestingController;
  let live: FakeLiveConnection;

  beforeEach(() => {
    ({ http, live } = setUpComponentTest(TaskDetail));
  });

  const render = () => renderComponent(TaskDetail, { id: ID });

  /** The task and its executions (read model); the timeline reads its own pages. */
  function answer(minPosition?: string) {
    const get = http.expectOne((r) => r.url === `/api/tasks/${ID}`);
    if (minPosition) expect(get.request.params.get('minPosition')).toBe(minPosition);
    get.flush(task);
    http
      .expectOne((r) => r.url === `/api/tasks/${ID}/executions`)
      .flush({ items: executions, nextCursor: null });
  }

  it('shows the definition, the next runs, the executions and the newest page of the event timeline', async () => {
    const { fixture, page } = await render();
    answer();
    await fixture.whenStable();
    http
      .expectOne((r) => r.url === `/api/tasks/${ID}/events` && r.params.get('limit') === '50')
      .flush({ items: events, nextCursor: null });
    await fixture.whenStable();
    expect(page.querySelector('h1')?.textContent).toBe('every two seconds');
    expect(page.textContent).toContain('Every 2 seconds (UTC)');
    expect(page.querySelectorAll('.next li').length).toBe(2);
    const cells = [...page.querySelectorAll('.executions tbody td')].map((td) => td.textContent?.trim());
    expect(cells[0]).toBe('#1');
    expect(cells[2]).toBe('12 ms');
    expect(cells[4]).toBe('succeeded');
    const timeline = [...page.querySelectorAll('.timeline summary .event-type')].map((e) => e.textContent);
    expect(timeline).toEqual(['TaskExecuted', 'TaskExecutionStarted', 'TaskRegistered']);
  });

  it('re-fetches when its live topic reports a change', async () => {
    const { fixture } = await render();
    answer();
    await fixture.whenStable();
    http.expectOne((r) => r.url === `/api/tasks/${ID}/events`).flush({ items: events, nextCursor: null });
    expect(live.watched).toContain(`task:${ID}`);
    live.push({ topic: `task:${ID}`, position: 99, executions: [] });
    await fixture.whenStable();
    answer('99');
  });

  it('pauses, then reads at the position the command wrote', async () => {
    const { fixture, page } = await render();
    answer();
    await fixture.whenStable();
    http.expectOne((r) => r.url === `/api/tasks/${ID}/events`).flush({ items: events, nextCursor: null });
    buttonNamed(page, 'Pause')?.click();
    http.expectOne(`/api/tasks/${ID}/pause`).flush({ id: ID, revision: 5, position: 12 });
    await fixture.whenStable();
    answer('12');
  });

  it('shows the task’s concurrency limit, and how long a run waited for its slot', async () => {
    const { fixture, page } = await render();
    http
      .expectOne((r) => r.url === `/api/tasks/${ID}`)
      .flush({ ...task, concurrency: { key: 'billing-db', limit: 2 } });
    http
      .expectOne((r) => r.url === `/api/tasks/${ID}/executions`)
      .flush({ items: [{ ...executions[0], lagMs: 1412, waitedMs: 1400 }], nextCursor: null });
    await fixture.whenStable();
    expect(page.querySelector('.concurrency')?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'key billing-db, at most 2 running at once',
    );
    expect(page.querySelector('.executions .waited')?.textContent?.trim()).toMatch(
      /^waited 1\.4 ?s for a slot$/,
    );
  });

  it('shows the task’s labels beside its name', async () => {
    const { fixture, page } = await render();
    http
      .expectOne((r) => r.url === `/api/tasks/${ID}`)
      .flush({ ...task, labels: { team: 'billing', env: 'prod' } });
    http.expectOne((r) => r.url === `/api/tasks/${ID}/executions`).flush({ items: [], nextCursor: null });
    await fixture.whenStable();
    const labels = [...page.querySelectorAll('[aria-label=Labels] li')].map((li) => li.textContent?.trim());
    expect(labels).toEqual(['env:prod', 'team:billing']);
  });
});
