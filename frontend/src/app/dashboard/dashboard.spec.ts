import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component, input } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FakeLiveConnection } from '../live/fake-live-connection';
import { LiveConnection } from '../live/live-connection';
import { Chart } from './chart/chart';
import { Dashboard } from './dashboard';
import { bucketRanges, readStats, readWorkers } from './stats';

/** jsdom cannot lay out a chart; the options it would draw are what matters here. */
@Component({ selector: 'app-chart', template: '{{ label() }}' })
class FakeChart {
  readonly options = input.required<unknown>();
  readonly label = input.required<string>();
}

describe('Dashboard', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [Dashboard],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: LiveConnection, useClass: FakeLiveConnection },
      ],
    });
    TestBed.overrideComponent(Dashboard, { remove: { imports: [Chart] }, add: { imports: [FakeChart] } });
    http = TestBed.inject(HttpTestingController);
  });

  it('shows counts by status, totals by outcome, and workers with their buckets', async () => {
    const fixture = TestBed.createComponent(Dashboard);
    await fixture.whenStable();
    // The query API's shape (backend/src/task-queries/get-stats).
    const minute = (at: string, succeeded: number, failed: number, timedOut: number) => ({
      minute: at,
      executions: { succeeded, failed, timed_out: timedOut, lost: 0, total: succeeded + failed + timedOut },
      lagMs: { p50: 4, p95: 9, p99: 20, max: 31, avg: 5 },
    });
    http
      .expectOne((r) => r.url === '/api/stats')
      .flush({
        position: 10,
        tasks: { active: 12, paused: 3, completed: 1, total: 16 },
        running: 0,
        minutes: [minute('2026-11-24T09:00:00Z', 30, 2, 0), minute('2026-11-24T09:01:00Z', 28, 0, 1)],
      });
    http.expectOne('/api/workers').flush({ items: [{ id: 'worker-a', buckets: [0, 1, 2, 5] }] });
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;
    const texts = (selector: string) =>
      [...page.querySelectorAll(selector)].map((e) => e.textContent?.trim());
    expect(texts('.counts .value')).toEqual(['12', '3', '1', '–']);
    expect(texts('.totals > span')).toEqual(['succeeded 58', 'failed 2', 'timed out 1', 'lost 0']);
    expect(page.querySelector('.workers tbody')?.textContent).toContain('0–2, 5');
    fixture.destroy();
  });

  it('says what is not available yet instead of failing', async () => {
    const fixture = TestBed.createComponent(Dashboard);
    await fixture.whenStable();
    http.expectOne((r) => r.url === '/api/stats').flush({}, { status: 404, statusText: 'Not Found' });
    http.expectOne('/api/workers').flush({}, { status: 404, statusText: 'Not Found' });
    await fixture.whenStable();
    const text = (fixture.nativeElement as HTMLElement).textContent;
    expect(text).toContain('Statistics are not available on this server yet');
    expect(text).toContain('workers listing is not available');
    fixture.destroy();
  });
});

describe('reading statistics leniently', () => {
  it('accepts nested outcome and lag objects and a bare workers array', () => {
    const stats = readStats({
      series: [{ at: '2026-11-24T09:00:00Z', outcomes: { succeeded: 3 }, lag: { p50: 1, p95: 2, p99: 3 } }],
      statusCounts: { active: 2 },
    });
    expect(stats.minutes[0]).toEqual({
      minute: '2026-11-24T09:00:00Z',
      outcomes: { succeeded: 3, failed: 0, timed_out: 0, lost: 0 },
      lagP50Ms: 1,
      lagP95Ms: 2,
      lagP99Ms: 3,
    });
    expect(stats.tasksByStatus).toEqual({ active: 2 });
    expect(readWorkers([{ workerId: 'w', buckets: [3], heartbeatAt: '2026-11-24T09:00:00Z' }])).toEqual([
      { id: 'w', buckets: [3], lastSeenAt: '2026-11-24T09:00:00Z' },
    ]);
    expect(bucketRanges([5, 0, 1, 2, 9, 10])).toBe('0–2, 5, 9–10');
  });
});
