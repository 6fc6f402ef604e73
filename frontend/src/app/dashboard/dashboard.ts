import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { EChartsCoreOption } from 'echarts/core';
import { asyncScheduler, map, merge, throttleTime, timer } from 'rxjs';
import { loadLatest, loadedValue } from '../api/loadable';
import { LiveConnection } from '../live/live-connection';
import { When } from '../time/when';
import { Chart } from './chart/chart';
import { bucketRanges, type MinuteStats, OUTCOMES, StatsApi } from './stats';

const WINDOW_MINUTES = 60;
/** Statistics change with every execution; redrawing every 2 s is live enough and cheap. */
const LIVE_REFRESH_MS = 2000;
/** Workers have no live topic; their heartbeats are seconds apart anyway. */
const WORKERS_REFRESH_MS = 10_000;
const OUTCOME_COLOURS = { succeeded: '#2f9e57', failed: '#d64545', timed_out: '#e0a100', lost: '#8e6bbf' };

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

  protected readonly stats = loadLatest(
    merge(
      timer(0, 30_000).pipe(map(() => 0)),
      this.live.watch('stats').pipe(map((change) => change.position)),
    ).pipe(throttleTime(LIVE_REFRESH_MS, asyncScheduler, { leading: true, trailing: true })),
    (minPosition) => this.api.stats(WINDOW_MINUTES, minPosition || undefined),
  );

  protected readonly workers = loadLatest(timer(0, WORKERS_REFRESH_MS), () => this.api.workers());

  private readonly minutes = computed<MinuteStats[]>(() => loadedValue(this.stats())?.minutes ?? []);

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
