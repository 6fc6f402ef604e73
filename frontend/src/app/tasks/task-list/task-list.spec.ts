import type { HttpTestingController } from '@angular/common/http/testing';
import { renderComponent, setUpComponentTest } from '../../../testing/component-test';
import type { FakeLiveConnection } from '../../live/fake-live-connection';
import type { TaskListItem } from '../task.model';
import { TaskList } from './task-list';

const row = (id: string, name: string): TaskListItem => ({
  id,
  name,
  status: 'active',
  schedule: { kind: 'cron', expression: '*/2 * * * * *', timezone: 'UTC' },
  nextDueAt: new Date(Date.now() + 2000).toISOString(),
  lastOutcome: 'succeeded',
  lastExecutionAt: new Date().toISOString(),
  revision: 3,
  labels: {},
});

describe('TaskList', () => {
  let http: HttpTestingController;
  let live: FakeLiveConnection;

  const render = () => renderComponent(TaskList);

  beforeEach(() => {
    ({ http, live } = setUpComponentTest(TaskList));
  });

  it('shows each task with its schedule in words, its status and outcome; markup in names stays text', async () => {
    const { fixture, page } = await render();
    http
      .expectOne((r) => r.url === '/api/tasks')
      .flush({ items: [row('t1', '<img src=x onerror=alert(1)>report')], nextCursor: null });
    await fixture.whenStable();
    const cells = [...page.querySelectorAll('tbody tr td')].map((td) => td.textContent?.trim());
    expect(cells[0]).toBe('<img src=x onerror=alert(1)>report');
    expect(page.querySelector('tbody img')).toBeNull();
    expect(cells[1]).toBe('Every 2 seconds (UTC)');
    expect(cells[2]).toBe('active');
    expect(cells[4]).toContain('succeeded');
  });

  it('re-fetches the page when the live feed reports a change, reading at its position', async () => {
    const { fixture } = await render();
    http.expectOne((r) => r.url === '/api/tasks').flush({ items: [], nextCursor: null });
    live.push({ topic: 'tasks', position: 42, tasks: ['t9'] });
    await fixture.whenStable();
    const refresh = http.expectOne((r) => r.url === '/api/tasks');
    expect(refresh.request.params.get('minPosition')).toBe('42');
    refresh.flush({ items: [row('t9', 'new one')], nextCursor: null });
  });

  it('pages forward with the server’s cursor and back again', async () => {
    const { fixture, page } = await render();
    http.expectOne((r) => r.url === '/api/tasks').flush({ items: [row('t1', 'a')], nextCursor: 'c2' });
    await fixture.whenStable();
    const [previous, next] = page.querySelectorAll<HTMLButtonElement>('.pager button');
    expect(previous.disabled).toBe(true);
    next.click();
    await fixture.whenStable();
    const second = http.expectOne((r) => r.url === '/api/tasks');
    expect(second.request.params.get('cursor')).toBe('c2');
    second.flush({ items: [row('t2', 'b')], nextCursor: null });
    await fixture.whenStable();
    expect(page.querySelector('.pager')?.textContent).toContain('Page 2');
    previous.click();
    await fixture.whenStable();
    expect(http.expectOne((r) => r.url === '/api/tasks').request.params.has('cursor')).toBe(false);
  });

  it('searches after typing settles, from the first page again', async () => {
    const { fixture, page } = await render();
    http.expectOne((r) => r.url === '/api/tasks').flush({ items: [row('t1', 'a')], nextCursor: 'c2' });
    await fixture.whenStable();
    page.querySelectorAll<HTMLButtonElement>('.pager button')[1].click();
    await fixture.whenStable();
    http.expectOne((r) => r.url === '/api/tasks').flush({ items: [row('t2', 'b')], nextCursor: null });
    const search = page.querySelector<HTMLInputElement>('input[type=search]');
    for (const text of ['r', 're', 'rep']) {
      search!.value = text;
      search!.dispatchEvent(new Event('input'));
    }
    await new Promise((resolve) => setTimeout(resolve, 350));
    await fixture.whenStable();
    const searched = http.expectOne((r) => r.url === '/api/tasks');
    expect(searched.request.params.get('q')).toBe('rep');
    expect(searched.request.params.has('cursor')).toBe(false);
  });

  it('says why when the list cannot be loaded', async () => {
    const { fixture, page } = await render();
    http
      .expectOne((r) => r.url === '/api/tasks')
      .flush(
        { status: 503, code: 'read_model_unavailable', detail: 'The read model is not reachable' },
        { status: 503, statusText: 'Service Unavailable' },
      );
    await fixture.whenStable();
    expect(page.querySelector('[role=alert]')?.textContent).toContain('The read model is not reachable');
  });

  it('filters by status from the first page', async () => {
    const { fixture } = await render();
    http.expectOne((r) => r.url === '/api/tasks').flush({ items: [], nextCursor: null });
    (fixture.componentInstance as unknown as { setStatus(s: string): void }).setStatus('paused');
    await fixture.whenStable();
    expect(http.expectOne((r) => r.url === '/api/tasks').request.params.get('status')).toBe('paused');
  });
});
