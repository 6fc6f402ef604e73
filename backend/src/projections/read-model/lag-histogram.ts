/**
 * A small fixed histogram of firing lags (started - due), kept per minute and outcome in
 * read_model.stats_minute: enough for p50/p95/p99 without storing every lag. Cell i counts lags up to
 * LAG_HISTOGRAM_BOUNDS_MS[i] (negative lags count as 0); the last cell counts everything above.
 */
export const LAG_HISTOGRAM_BOUNDS_MS = [
  5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000,
] as const;

export const LAG_HISTOGRAM_CELLS = LAG_HISTOGRAM_BOUNDS_MS.length + 1;

export function emptyLagHistogram(): number[] {
  return new Array<number>(LAG_HISTOGRAM_CELLS).fill(0);
}

export function lagCell(lagMs: number): number {
  const index = LAG_HISTOGRAM_BOUNDS_MS.findIndex((bound) => lagMs <= bound);
  return index === -1 ? LAG_HISTOGRAM_BOUNDS_MS.length : index;
}

export function addHistograms(into: number[], other: readonly number[]): number[] {
  for (let i = 0; i < LAG_HISTOGRAM_CELLS; i++) into[i] += other[i] ?? 0;
  return into;
}

/**
 * Estimates the `quantile` (0..1] lag: finds the cell holding that rank and interpolates linearly
 * within it, never beyond the largest lag seen. Null when the histogram is empty.
 */
export function lagQuantile(histogram: readonly number[], quantile: number, maxMs: number): number | null {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(quantile * total));
  let before = 0;
  for (let i = 0; i < histogram.length; i++) {
    const count = histogram[i];
    if (before + count >= rank) {
      const lower = i === 0 ? 0 : LAG_HISTOGRAM_BOUNDS_MS[i - 1];
      const upper = i < LAG_HISTOGRAM_BOUNDS_MS.length ? LAG_HISTOGRAM_BOUNDS_MS[i] : Math.max(maxMs, lower);
      const estimate = lower + ((upper - lower) * (rank - before)) / count;
      return Math.round(Math.min(estimate, Math.max(maxMs, 0)));
    }
    before += count;
  }
  return Math.max(maxMs, 0);
}
