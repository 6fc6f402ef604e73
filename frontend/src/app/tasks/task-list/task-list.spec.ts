import type { HttpTestingController } from '@angular/common/http/testing';
import { buttonNamed, renderComponent, setUpComponentTest } from '../../../testing/component-test';
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

  describe('labels', () => {
    /** Types a label filter and presses Enter. */
    const typeLabel = (page: HTMLElement, text: string) => {
      const input = page.querySelector<HTMLInputElement>('input.label-input')!;
      input.value = text;
      input.dispatchEvent(new Event('input'));
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 13, bubbles: true }));
    };

    it('adds a typed key:value as a removable filter, sent as repeated `label` parameters', async () => {
      const { fixture, page } = await render();
      http.expectOne((r) => r.url === '/api/tasks').flush({ items: [], nextCursor: null });
      typeLabel(page, 'team:billing');
      await fixture.whenStable();
      http.expectOne((r) => r.url === '/api/tasks').flush({ items: [], nextCursor: null });
      typeLabel(page, ' env : prod');
      await fixture.whenStable();
      const filtered = http.expectOne((r) => r.url === '/api/tasks');
      expect(filtered.request.params.getAll('label')).toEqual(['team:billing', 'env:prod']);
      filtered.flush({ items: [], nextCursor: null });
      await fixture.whenStable();
      expect([...page.querySelectorAll('mat-chip-row')].map((c) => c.textContent)).toEqual([
        expect.stringContaining('team:billing'),
        expect.stringContaining('env:prod'),
      ]);
      page.querySelector<HTMLButtonElement>('[aria-label="Remove label filter team:billing"]')!.click();
      await fixture.whenStable();
      expect(http.expectOne((r) => r.url === '/api/tasks').request.params.getAll('label')).toEqual([
        'env:prod',
      ]);
    });

    it('refuses a filter that is not key:value under the contract’s patterns, and says why', async () => {
      const { fixture, page } = await render();
      http.expectOne((r) => r.url === '/api/tasks').flush({ items: [], nextCursor: null });
      typeLabel(page, 'billing');
      await fixture.whenStable();
      expect(page.querySelector('.label-error')?.textContent).toContain('key:value');
      typeLabel(page, '-team:billing');
      await fixture.whenStable();
      expect(page.querySelector('.label-error')?.textContent).toContain('A key is');
      expect(page.querySelector('mat-chip-row')).toBeNull();
      http.expectNone((r) => r.url === '/api/tasks');
    });

    it('shows each row’s labels, and offers bulk pause and resume only with a label filter', async () => {
      const { fixture, page } = await render();
      http
        .expectOne((r) => r.url === '/api/tasks')
        .flush({
          items: [{ ...row('t1', 'report'), labels: { team: 'billing', env: 'prod' } }],
          nextCursor: null,
        });
      await fixture.whenStable();
      const badges = [...page.querySelectorAll('tbody .label-badge')].map((b) => b.textContent?.trim());
      expect(badges).toEqual(['env:prod', 'team:billing']);
      expect(buttonNamed(page, 'Pause all matching')).toBeUndefined();
      expect(buttonNamed(page, 'Resume all matching')).toBeUndefined();

      // Clicking a row's label filters by it.
      page.querySelector<HTMLButtonElement>('tbody .label-badge')!.click();
      await fixture.whenStable();
      const filtered = http.expectOne((r) => r.url === '/api/tasks');
      expect(filtered.request.params.getAll('label')).toEqual(['env:prod']);
      filtered.flush({ items: [row('t1', 'report')], nextCursor: null });
      await fixture.whenStable();
      expect(buttonNamed(page, 'Resume all matching')).toBeDefined();

      buttonNamed(page, 'Pause all matching')!.click();
      const bulk = http.expectOne((r) => r.url === '/api/tasks/pause');
      expect(bulk.request.method).toBe('POST');
      expect(bulk.request.params.getAll('label')).toEqual(['env:prod']);
      bulk.flush({ matched: 4, changed: 3 });
      await fixture.whenStable();
      expect(page.querySelector('.bulk [role=status]')?.textContent).toContain(
        '3 of 4 matching tasks paused',
      );
      // and the list is loaded again
      const reloaded = http.expectOne((r) => r.url === '/api/tasks');
      expect(reloaded.request.params.getAll('label')).toEqual(['env:prod']);
      reloaded.flush({ items: [], nextCursor: null });

      page.querySelector<HTMLButtonElement>('[aria-label="Remove label filter env:prod"]')!.click();
      await fixture.whenStable();
      http.expectOne((r) => r.url === '/api/tasks').flush({ items: [], nextCursor: null });
      await fixture.whenStable();
      expect(buttonNamed(page, 'Pause all matching')).toBeUndefined();
    });

    it('says why a bulk command failed', async () => {
      const { fixture, page } = await render();
      http.expectOne((r) => r.url === '/api/tasks').flush({ items: [], nextCursor: null });
      typeLabel(page, 'team:billing');
      await fixture.whenStable();
      http.expectOne((r) => r.url === '/api/tasks').flush({ items: [], nextCursor: null });
      await fixture.whenStable();
      buttonNamed(page, 'Resume all matching')!.click();
      http
        .expectOne((r) => r.url === '/api/tasks/resume')
        .flush(
          { status: 503, code: 'unavailable', detail: 'No leader' },
          { status: 503, statusText: 'Service Unavailable' },
        );
      await fixture.whenStable();
      expect(page.querySelector('.bulk [role=status]')?.textContent).toContain(
        'Could not resume the matching tasks: No leader',
      );
    });
  });
});
