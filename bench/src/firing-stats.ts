import { type ExpectedFiring, type RecordedStart } from './systems/scheduler-under-test';

/** How a run fired against what it expected: the lag figures count each expected firing once. */
export interface FiringStats {
  expected: number;
  /** Expected firings that started at least once. */
  fired: number;
  /** Starts beyond the first of a firing: each one is a firing run twice. */
  duplicates: number;
  /** Expected firings that never started. */
  misses: number;
  /** Start minus due, in ms, over the first start of each fired firing; null when none fired. */
  lag: { p50: number; p95: number; p99: number; max: number } | null;
  /** From the earliest due time to the last first start, in ms (W1's "last start after due"). */
  lastStartAfterDueMs: number | null;
  /** First starts per second, from the first start to the last. */
  startsPerSecond: number | null;
}

/** The nearest-rank percentile of ascending `sorted` values: p = 0.99 gives the 99th percentile. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no values');
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function firingStats(
  expected: readonly ExpectedFiring[],
  starts: readonly RecordedStart[],
): FiringStats {
  const wanted = new Map(expected.map((firing) => [firing.key, firing.dueAt]));
  const firstStart = new Map<string, number>();
  let duplicates = 0;
  for (const start of starts) {
    if (!wanted.has(start.key)) continue; // another workload's firing, or one outside the window
    const seen = firstStart.get(start.key);
    if (seen === undefined) firstStart.set(start.key, start.startedAt);
    else {
      duplicates++;
      if (start.startedAt < seen) firstStart.set(start.key, start.startedAt);
    }
  }
  const lags: number[] = [];
  let lastStart = -Infinity;
  let firstStarted = Infinity;
  for (const [key, startedAt] of firstStart) {
    lags.push(startedAt - (wanted.get(key) as number));
    lastStart = Math.max(lastStart, startedAt);
    firstStarted = Math.min(firstStarted, startedAt);
  }
  lags.sort((a, b) => a - b);
  const earliestDue = Math.min(...wanted.values());
  const spanSeconds = (lastStart - firstStarted) / 1000;
  return {
    expected: wanted.size,
    fired: firstStart.size,
    duplicates,
    misses: wanted.size - firstStart.size,
    lag:
      lags.length === 0
        ? null
        : {
            p50: percentile(lags, 0.5),
            p95: percentile(lags, 0.95),
            p99: percentile(lags, 0.99),
            max: lags[lags.length - 1],
          },
    lastStartAfterDueMs: lags.length === 0 ? null : lastStart - earliestDue,
    startsPerSecond: lags.length < 2 ? null : spanSeconds > 0 ? lags.length / spanSeconds : null,
  };
}
