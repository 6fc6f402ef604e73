import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import {
  READ_MODEL_POOL,
  addHistograms,
  emptyLagHistogram,
  lagQuantile,
  readModelPosition,
} from '../../projections';
import type { LagSummary, MinuteStats, OutcomeCounts, StatsView } from './get-stats.dto';

interface MinuteRow {
  minute: Date;
  outcome: keyof Omit<OutcomeCounts, 'total'>;
  count: number;
  lag_sum_ms: string;
  lag_max_ms: string;
  lag_histogram: number[];
}

/** Accumulates one minute (or the whole window) of stats_minute rows. */
class Tally {
  readonly counts: OutcomeCounts = { succeeded: 0, failed: 0, timed_out: 0, lost: 0, total: 0 };
  private readonly histogram = emptyLagHistogram();
  private lagSum = 0;
  private lagMax = 0;

  add(row: MinuteRow): void {
    this.counts[row.outcome] += row.count;
    this.counts.total += row.count;
    this.lagSum += Number(row.lag_sum_ms);
    this.lagMax = Math.max(this.lagMax, Number(row.lag_max_ms));
    addHistograms(this.histogram, row.lag_histogram);
  }

  view(minute: string): MinuteStats {
    const measured = this.histogram.reduce((sum, count) => sum + count, 0);
    const lagMs: LagSummary =
      measured === 0
        ? { p50: null, p95: null, p99: null, max: null, avg: null }
        : {
            p50: lagQuantile(this.histogram, 0.5, this.lagMax),
            p95: lagQuantile(this.histogram, 0.95, this.lagMax),
            p99: lagQuantile(this.histogram, 0.99, this.lagMax),
            max: this.lagMax,
            avg: Math.round(this.lagSum / measured),
          };
    return { minute, executions: { ...this.counts }, lagMs };
  }
}

/** GET /api/stats: task counts, running executions, and per-minute outcomes and lag percentiles. */
@Injectable()
export class GetStatsQuery {
  constructor(@Inject(READ_MODEL_POOL) private readonly pool: Pool) {}

  async run(minutes: number, now: Date = new Date()): Promise<StatsView> {
    const last = Math.floor(now.getTime() / 60_000) * 60_000;
    const first = last - (minutes - 1) * 60_000;
    const [position, counts, running, rows] = await Promise.all([
      readModelPosition(this.pool),
      this.pool.query<{ status: string; count: string }>(
        'SELECT status, count FROM read_model.task_status_counts',
      ),
      this.pool.query<{ running: string }>(
        'SELECT count(*) AS running FROM read_model.executions WHERE finished_at IS NULL',
      ),
      this.pool.query<MinuteRow>(
        `SELECT minute, outcome, count, lag_sum_ms, lag_max_ms, lag_histogram FROM read_model.stats_minute
          WHERE minute >= $1 AND minute <= $2 ORDER BY minute`,
        [new Date(first), new Date(last)],
      ),
    ]);
    const tasks = { active: 0, paused: 0, completed: 0, deleted: 0, total: 0 };
    for (const row of counts.rows) {
      if (row.status in tasks) tasks[row.status as keyof typeof tasks] = Number(row.count);
      tasks.total += Number(row.count);
    }
    const byMinute = new Map<number, Tally>();
    const totals = new Tally();
    for (const row of rows.rows) {
      const at = row.minute.getTime();
      let tally = byMinute.get(at);
      if (!tally) byMinute.set(at, (tally = new Tally()));
      tally.add(row);
      totals.add(row);
    }
    const series: MinuteStats[] = [];
    for (let at = first; at <= last; at += 60_000) {
      series.push((byMinute.get(at) ?? new Tally()).view(new Date(at).toISOString()));
    }
    return {
      position,
      tasks,
      running: Number(running.rows[0].running),
      minutes: series,
      totals: totals.view(new Date(first).toISOString()),
    };
  }
}
