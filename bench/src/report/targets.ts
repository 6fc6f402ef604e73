import { type BenchReport, type RunResult } from '../run-result';

interface Target {
  target: string;
  /** The figure, and whether it meets the target; undefined when the run did not measure it. */
  judge(results: RunResult[]): { figure: string; met: boolean } | undefined;
}

const round = (n: number) => Math.round(n).toLocaleString('en-US');
const of = (results: RunResult[], id: string) => results.find((r) => r.workload === id)?.outcome;

/** Peak RSS of the processes that fire: the worker processes of a cluster, else the one process. */
function workerRssMb(result: RunResult): number {
  const workers = result.processes.filter((p) => p.name.startsWith('worker') || p.name === 'kairos');
  return Math.max(...workers.map((p) => p.peakRssMb));
}

const TARGETS: Target[] = [
  {
    target: 'W1: last start < 500 ms after due',
    judge: (r) => {
      const f = of(r, 'W1')?.firing;
      return f?.lastStartAfterDueMs != null
        ? { figure: `${round(f.lastStartAfterDueMs)} ms`, met: f.lastStartAfterDueMs < 500 && f.misses === 0 }
        : undefined;
    },
  },
  {
    target: 'W2: lag p99 < 50 ms, max < 250 ms',
    judge: (r) => {
      const lag = of(r, 'W2')?.firing?.lag;
      return lag
        ? { figure: `${lag.p99.toFixed(1)} / ${round(lag.max)} ms`, met: lag.p99 < 50 && lag.max < 250 }
        : undefined;
    },
  },
  {
    target: 'W3: all fired once each, lag p99 < 150 ms',
    judge: (r) => {
      const f = of(r, 'W3')?.firing;
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
    judge: (r) => {
      const rate = of(r, 'W4')?.registeredPerSecond;
      return rate ? { figure: `${round(rate)} tasks/s`, met: rate > 40_000 } : undefined;
    },
  },
  {
    target: 'W5: lag p99 < 50 ms, worker RSS < 300 MB, list page < 100 ms',
    judge: (r) => {
      const result = r.find((x) => x.workload === 'W5');
      const lag = result?.outcome.firing?.lag;
      const page = result?.outcome.firstPageMs;
      if (!result || !lag || !page) return undefined;
      const rss = workerRssMb(result);
      return {
        figure: `p99 ${lag.p99.toFixed(1)} ms, worker ${round(rss)} MiB, page p95 ${page.p95.toFixed(1)} ms`,
        met: lag.p99 < 50 && rss < 300 && page.p95 < 100,
      };
    },
  },
  {
    target: 'W6: a worker SIGKILLed under load: its buckets fire again within 10 s, nothing lost or doubled',
    judge: (r) => {
      const f = of(r, 'W6')?.firing;
      return f?.lag
        ? {
            figure: `max lag ${(f.lag.max / 1000).toFixed(1)} s, ${f.misses} lost, ${f.duplicates} doubled`,
            met: f.lag.max < 10_000 && f.misses === 0 && f.duplicates === 0,
          }
        : undefined;
    },
  },
  {
    target: 'no duplicate or missed firing in any run',
    judge: (r) => {
      const firings = r.map((x) => x.outcome.firing).filter((f) => f !== undefined);
      if (firings.length === 0) return undefined;
      const duplicates = firings.reduce((n, f) => n + f.duplicates, 0);
      const misses = firings.reduce((n, f) => n + f.misses, 0);
      return { figure: `${duplicates} duplicates, ${misses} misses`, met: duplicates === 0 && misses === 0 };
    },
  },
];

/** Each target of design section 8 against each Kairos layout: the figure and met or not. */
export function targetRows(report: BenchReport): string[] {
  const layouts = [...new Set(report.results.map((r) => r.system))].filter((s) => s.startsWith('Kairos'));
  const lines = [`| target | ${layouts.join(' | ')} |`, `| --- |${' --- |'.repeat(layouts.length)}`];
  for (const target of TARGETS) {
    const cells = layouts.map((layout) => {
      const verdict = target.judge(report.results.filter((r) => r.system === layout));
      return verdict ? `${verdict.met ? 'met' : '**not met**'}: ${verdict.figure}` : 'not run';
    });
    lines.push(`| ${target.target} | ${cells.join(' | ')} |`);
  }
  return lines;
}
