import { type FiringStats } from '../firing-stats';
import { type BenchReport, type RunResult } from '../run-result';
import { type WorkloadId } from '../workloads/workload';

interface Target {
  target: string;
  /** The workload it judges; none for a target over every run. */
  workload?: WorkloadId;
  /**
   * The figure, and whether it meets the target, judged at the receiver; undefined when the result
   * has no figure for it (results from before the receiver have no arrivals).
   */
  judge(results: RunResult[]): { figure: string; met: boolean } | undefined;
}

const round = (n: number) => Math.round(n).toLocaleString('en-US');
const result = (results: RunResult[], id: WorkloadId) => results.find((r) => r.workload === id);
const arrival = (results: RunResult[], id: WorkloadId): FiringStats | undefined =>
  result(results, id)?.outcome.arrival;

/** Peak RSS of the processes that fire: the worker processes of a cluster, else the one process. */
function workerRssMb(result: RunResult): number {
  const workers = result.processes.filter((p) => p.name.startsWith('worker') || p.name === 'kairos');
  return Math.max(...workers.map((p) => p.peakRssMb));
}

const TARGETS: Target[] = [
  {
    target: 'W1: last arrival <= 1,000 ms after due',
    workload: 'W1',
    judge: (r) => {
      const f = arrival(r, 'W1');
      return f?.lastAfterDueMs != null
        ? { figure: `${round(f.lastAfterDueMs)} ms`, met: f.lastAfterDueMs <= 1000 && f.misses === 0 }
        : undefined;
    },
  },
  {
    target: 'W2: lag p99 < 50 ms, max < 250 ms',
    workload: 'W2',
    judge: (r) => {
      const lag = arrival(r, 'W2')?.lag;
      return lag
        ? { figure: `${lag.p99.toFixed(1)} / ${round(lag.max)} ms`, met: lag.p99 < 50 && lag.max < 250 }
        : undefined;
    },
  },
  {
    target: 'W3: all fired once each, lag p99 < 150 ms',
    workload: 'W3',
    judge: (r) => {
      const f = arrival(r, 'W3');
      return f?.lag
        ? {
            figure: `${round(f.fired)} of ${round(f.expected)}, p99 ${f.lag.p99.toFixed(1)} ms`,
            met: f.misses === 0 && f.duplicates === 0 && f.lag.p99 < 150,
          }
        : undefined;
    },
  },
  {
    target: 'W4: bulk registration > 40,000 tasks/s',
    workload: 'W4',
    judge: (r) => {
      const rate = result(r, 'W4')?.outcome.registeredPerSecond;
      return rate ? { figure: `${round(rate)} tasks/s`, met: rate > 40_000 } : undefined;
    },
  },
  {
    target: 'W5: lag p99 < 50 ms, worker RSS < 300 MB, list page < 100 ms',
    workload: 'W5',
    judge: (r) => {
      const w5 = result(r, 'W5');
      const lag = w5?.outcome.arrival?.lag;
      const page = w5?.outcome.firstPageMs;
      if (!w5 || !lag || !page) return undefined;
      const rss = workerRssMb(w5);
      return {
        figure: `p99 ${lag.p99.toFixed(1)} ms, worker ${round(rss)} MiB, page p95 ${page.p95.toFixed(1)} ms`,
        met: lag.p99 < 50 && rss < 300 && page.p95 < 100,
      };
    },
  },
  {
    target: 'W6: a worker SIGKILLed under load: its buckets fire again within 10 s, nothing lost or doubled',
    workload: 'W6',
    judge: (r) => {
      const f = arrival(r, 'W6');
      return f?.lag
        ? {
            figure: `max lag ${(f.lag.max / 1000).toFixed(1)} s, ${f.misses} lost, ${f.duplicates} doubled`,
            met: f.lag.max < 10_000 && f.misses === 0 && f.duplicates === 0,
          }
        : undefined;
    },
  },
  {
    target: 'no duplicate or missed call at the receiver in any run',
    judge: (r) => {
      const firings = r
        .flatMap((x) => [x.outcome.arrival, x.outcome.cold?.arrival])
        .filter((f) => f !== undefined);
      if (firings.length === 0) return undefined;
      const duplicates = firings.reduce((n, f) => n + f.duplicates, 0);
      const misses = firings.reduce((n, f) => n + f.misses, 0);
      return { figure: `${duplicates} duplicates, ${misses} misses`, met: duplicates === 0 && misses === 0 };
    },
  },
];

/**
 * Each target of design section 8 against each Kairos layout, at the receiver: the figure and met or
 * not; "not run" when the workload was not, "–" when the result has no figure for it.
 */
export function targetRows(report: BenchReport): string[] {
  const layouts = [...new Set(report.results.map((r) => r.system))].filter((s) => s.startsWith('Kairos'));
  const lines = [`| target | ${layouts.join(' | ')} |`, `| --- |${' --- |'.repeat(layouts.length)}`];
  for (const target of TARGETS) {
    const cells = layouts.map((layout) => {
      const results = report.results.filter((r) => r.system === layout);
      const ran = target.workload
        ? results.some((r) => r.workload === target.workload && !r.outcome.unsupported)
        : results.length > 0;
      if (!ran) return 'not run';
      const verdict = target.judge(results);
      return verdict ? `${verdict.met ? 'met' : '**not met**'}: ${verdict.figure}` : '–';
    });
    lines.push(`| ${target.target} | ${cells.join(' | ')} |`);
  }
  return lines;
}
