import type { HttpTestingController } from '@angular/common/http/testing';
import { Component, input } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { renderComponent, setUpComponentTest } from '../../testing/component-test';
import { Chart } from './chart/chart';
import { Dashboard } from './dashboard';
import { bucketRanges, type StatsView, toStats, type WorkerView } from './stats';

/** jsdom cannot lay out a chart; the options it would draw are what matters here. */
@Component({ selector: 'app-chart', template: '{{ label() }}' })
class FakeChart {
  readonly options = input.required<unknown>();
  readonly label = input.required<string>();
}

describe('Dashboard', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.overrideComponent(Dashboard, { remove: { imports: [Chart] }, add: { imports: [FakeChart] } });
    ({ http } = setUpComponentTest(Dashboard));
  });

  it('shows counts by status, totals by outcome, and workers with their buckets', async () => {
    const { fixture, page } = await renderComponent(Dashboard);
    http
      .expectOne((r) => r.url === '/api/stats')
      .flush(stats([minute('2026-11-24T09:00:00Z', 30, 2, 0), minute('2026-11-24T09:01:00Z', 28, 0, 1)]));
    const worker: WorkerView = {
      workerId: 'worker-a',
      host: 'h',
      pid: 7,
      startedAt: '2026-11-24T08:00:00Z',
      lastSeenAt: '2026-11-24T09:01:00Z',
      buckets: [0, 1, 2, 5],
    };
    http.expectOne('/api/workers').flush({ items: [worker] });
    await fixture.whenStable();
    const texts = (selector: string) =>
      [...page.querySelectorAll(selector)].map((e) => e.textContent?.trim());
    expect(texts('.counts .value')).toEqual(['12', '3', '1', '0']);
    expect(texts('.totals > span')).toEqual(['succeeded 58', 'failed 2', 'timed out 1', 'lost 0']);
    expect(page.querySelector('.workers tbody')?.textContent).toContain('0–2, 5');
    fixture.destroy();
  });

  it('says why when the statistics cannot be loaded', async () => {
    const { fixture, page } = await renderComponent(Dashboard);
    http
      .expectOne((r) => r.url === '/api/stats')
      .flush({ detail: 'database unavailable' }, { status: 503, statusText: 'Service Unavailable' });
    http.expectOne('/api/workers').flush({ items: [] });
    await fixture.whenStable();
    expect(page.textContent).toContain('Could not load statistics');
    fixture.destroy();
  });
});

describe('statistics for the charts', () => {
  it('takes outcomes and lag percentiles per minute, and counts by status', () => {
    const read = toStats(stats([minute('2026-11-24T09:00:00Z', 3, 1, 0)]));
    expect(read.minutes).toEqual([
      {
        minute: '2026-11-24T09:00:00Z',
        outcomes: { succeeded: 3, failed: 1, timed_out: 0, lost: 0 },
        lagP50Ms: 4,
        lagP95Ms: 9,
        lagP99Ms: 20,
      },
    ]);
    expect(read.tasksByStatus).toEqual({ active: 12, paused: 3, completed: 1, deleted: 0 });
    expect(bucketRanges([5, 0, 1, 2, 9, 10])).toBe('0–2, 5, 9–10');
  });
});

/** GET /api/stats as the contract types it (backend/src/task-queries/get-stats). */
function minute(at: string, succeeded: number, failed: number, timedOut: number): StatsView['totals'] {
  return {
    minute: at,
    executions: { succeeded, failed, timed_out: timedOut, lost: 0, total: succeeded + failed + timedOut },
    lagMs: { p50: 4, p95: 9, p99: 20, max: 31, avg: 5 },
  };
}

function stats(minutes: StatsView['minutes']): StatsView {
  return {
    position: 10,
    tasks: { active: 12, paused: 3, completed: 1, deleted: 0, total: 16 },
    running: 0,
    minutes,
    totals: minutes[0],
  };
}
