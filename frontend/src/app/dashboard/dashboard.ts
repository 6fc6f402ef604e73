import { ChangeDetectionStrategy, Component, type Signal, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { EChartsCoreOption } from 'echarts/core';
import {
  type Observable,
  asyncScheduler,
  catchError,
  map,
  merge,
  of,
  switchMap,
  throttleTime,
  timer,
} from 'rxjs';
import { type Problem, toProblem } from '../api/problem';
import { LiveConnection } from '../live/live-connection';
import { When } from '../time/when';
import { Chart } from './chart/chart';
import { bucketRanges, type MinuteStats, OUTCOMES, type Stats, StatsApi, type WorkerView } from './stats';

type Loadable<T> = { kind: 'loading' } | { kind: 'loaded'; value: T } | { kind: 'failed'; problem: Problem };

const WINDOW_MINUTES = 60;
/** Statistics change with every execution; redrawing every 2 s is live enough and cheap. */
const LIVE_REFRESH_MS = 2000;
/** Workers have no live topic; their heartbeats are seconds apart anyway. */
const WORKERS_REFRESH_MS = 10_000;
const OUTCOME_COLOURS = { succeeded: '#2f9e57', failed: '#d64545', timed_out: '#e0a100', lost: '#8e6bbf' };

/** A request that fails shows as failed, with its problem's detail. */
function loadable<T>() {
  return catchError<Loadable<T>, Observable<Loadable<T>>>((error: unknown) =>
    of({ kind: 'failed', problem: toProblem(error) } as const),
  );
}

/** Executions per minute, firing lag, tasks by status, and which worker owns which buckets. Live. */
@Component({
  selector: 'app-dashboard',
  imports: [Chart, When, MatProgressBarModule],
  templateUrl: './dashboard.html',
  styleUrl: './dashboard.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Dashboard {
  private readonly api = inject(StatsApi);
  private readonly live = inject(LiveConnection);

  protected readonly outcomes = OUTCOMES;
  protected readonly bucketRanges = bucketRanges;
  protected readonly statuses = ['active', 'paused', 'completed', 'deleted'] as const;

  protected readonly stats: Signal<Loadable<Stats>> = toSignal(
    merge(
      timer(0, 30_000).pipe(map(() => 0)),
      this.live.watch('stats').pipe(map((change) => change.position)),
    ).pipe(
      throttleTime(LIVE_REFRESH_MS, asyncScheduler, { leading: true, trailing: true }),
      switchMap((minPosition) =>
        this.api.stats(WINDOW_MINUTES, minPosition || undefined).pipe(
          map((value): Loadable<Stats> => ({ kind: 'loaded', value })),
          loadable<Stats>(),
        ),
      ),
    ),
    { initialValue: { kind: 'loading' } },
  );

  protected readonly workers: Signal<Loadable<WorkerView[]>> = toSignal(
    timer(0, WORKERS_REFRESH_MS).pipe(
      switchMap(() =>
        this.api.workers().pipe(
          map((value): Loadable<WorkerView[]> => ({ kind: 'loaded', value })),
          loadable<WorkerView[]>(),
        ),
      ),
    ),
    { initialValue: { kind: 'loading' } },
  );

  private readonly minutes = computed<MinuteStats[]>(() => {
    const stats = this.stats();
    return stats.kind === 'loaded' ? stats.value.minutes : [];
  });

  protected readonly totals = computed(() => {
    const minutes = this.minutes();
    return OUTCOMES.map((outcome) => ({
      outcome,
      count: minutes.reduce((sum, minute) => sum + minute.outcomes[outcome], 0),
    }));
  });

  private readonly labels = computed(() =>
    this.minutes().map((m) =>
      new Date(m.minute).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
    ),
  );

  protected readonly executionsChart = computed<EChartsCoreOption>(() => ({
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 48, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: this.labels() },
    yAxis: { type: 'value', minInterval: 1 },
    series: OUTCOMES.map((outcome) => ({
      name: outcome.replace('_', ' '),
      type: 'bar',
      stack: 'outcomes',
      color: OUTCOME_COLOURS[outcome],
      data: this.minutes().map((m) => m.outcomes[outcome]),
    })),
  }));

  protected readonly lagChart = computed<EChartsCoreOption>(() => {
    const minutes = this.minutes();
    const line = (name: string, pick: (m: MinuteStats) => number | null) => ({
      name,
      type: 'line',
      // Symbols, so a minute with data between empty ones still shows.
      symbolSize: 5,
      showAllSymbol: true,
      connectNulls: false,
      data: minutes.map(pick),
    });
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v} ms` : '–') },
      legend: { bottom: 0 },
      grid: { left: 56, right: 16, top: 16, bottom: 48 },
      xAxis: { type: 'category', data: this.labels() },
      yAxis: { type: 'value', name: 'ms', nameGap: 8 },
      series: [
        line('p50', (m) => m.lagP50Ms),
        line('p95', (m) => m.lagP95Ms),
        line('p99', (m) => m.lagP99Ms),
      ],
    };
  });
}
