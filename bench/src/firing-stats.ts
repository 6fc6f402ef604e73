import { type RecordedArrival } from './receiver/arrival';
import { type ExpectedFiring, type RecordedStart } from './systems/scheduler-under-test';

/**
 * A firing observed at one point of its path: its start (Kairos's TaskExecutionStarted, a peer's
 * handler entry) or its arrival at the HTTP receiver. `key` names the expected firing.
 */
export interface Observation {
  key: string;
  /** Epoch ms. */
  at: number;
}

/**
 * How a run fired against what it expected, at one point of the path: the lag figures count each
 * expected firing once.
 */
export interface FiringStats {
  expected: number;
  /** Expected firings observed at least once. */
  fired: number;
  /**
   * Observations beyond the first of a firing: each one is a firing run (or called) twice. At the
   * receiver a repeated Idempotency-Key is one (a retry of the same occurrence), and so is a second
   * call of one firing under another key.
   */
  duplicates: number;
  /** Expected firings never observed. */
  misses: number;
  /** Observed minus due, in ms, over the first observation of each firing; null when none fired. */
  lag: { p50: number; p95: number; p99: number; max: number } | null;
  /** From the earliest due time to the last first observation, in ms (W1's "last arrival after due"). */
  lastAfterDueMs: number | null;
  /** First observations per second, from the first to the last. */
  perSecond: number | null;
}

/** The nearest-rank percentile of ascending `sorted` values: p = 0.99 gives the 99th percentile. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no values');
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function firingStats(
  expected: readonly ExpectedFiring[],
  observed: readonly Observation[],
): FiringStats {
  const wanted = new Map(expected.map((firing) => [firing.key, firing.dueAt]));
  const first = new Map<string, number>();
  let duplicates = 0;
  for (const { key, at } of observed) {
    if (!wanted.has(key)) continue; // another workload's firing, or one outside the window
    const seen = first.get(key);
    if (seen === undefined) first.set(key, at);
    else {
      duplicates++;
      if (at < seen) first.set(key, at);
    }
  }
  const lags: number[] = [];
  let last = -Infinity;
  let earliest = Infinity;
  for (const [key, at] of first) {
    lags.push(at - (wanted.get(key) as number));
    last = Math.max(last, at);
    earliest = Math.min(earliest, at);
  }
  lags.sort((a, b) => a - b);
  const earliestDue = Math.min(...wanted.values());
  const spanSeconds = (last - earliest) / 1000;
  return {
    expected: wanted.size,
    fired: first.size,
    duplicates,
    misses: wanted.size - first.size,
    lag:
      lags.length === 0
        ? null
        : {
            p50: percentile(lags, 0.5),
            p95: percentile(lags, 0.95),
            p99: percentile(lags, 0.99),
            max: lags[lags.length - 1],
          },
    lastAfterDueMs: lags.length === 0 ? null : last - earliestDue,
    perSecond: lags.length < 2 ? null : spanSeconds > 0 ? lags.length / spanSeconds : null,
  };
}

export const observedArrivals = (arrivals: readonly RecordedArrival[]): Observation[] =>
  arrivals.map((a) => ({ key: a.key, at: a.arrivedAt }));

/** Both figures of a workload: at the receiver (what users see, the headline) and at the start. */
export interface FiringAtArrivalAndStart {
  arrival: FiringStats;
  start: FiringStats;
}

export function firingAtArrivalAndStart(
  expected: readonly ExpectedFiring[],
  arrivals: readonly RecordedArrival[],
  starts: readonly RecordedStart[],
): FiringAtArrivalAndStart {
  return {
    arrival: firingStats(expected, observedArrivals(arrivals)),
    start: firingStats(
      expected,
      starts.map((s) => ({ key: s.key, at: s.startedAt })),
    ),
  };
}
