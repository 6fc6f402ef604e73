import { readFileSync } from 'node:fs';
import { type FiringStats } from '../firing-stats';
import { type BenchReport } from '../run-result';

/** How results from before the HTTP receiver held the starts: `firing`, with start-named fields. */
interface EarlierFiring extends Omit<FiringStats, 'lastAfterDueMs' | 'perSecond'> {
  lastStartAfterDueMs: number | null;
  startsPerSecond: number | null;
}

/**
 * Reads a saved report (bench/results/full.json) for `--render`. Results from before the receiver
 * measured starts only: they become the start figures, and their arrival figures stay empty.
 */
export function readReport(path: string): BenchReport {
  const report = JSON.parse(readFileSync(path, 'utf8')) as BenchReport;
  for (const { outcome } of report.results) {
    const earlier = (outcome as { firing?: EarlierFiring }).firing;
    if (!earlier || outcome.start) continue;
    const { lastStartAfterDueMs, startsPerSecond, ...rest } = earlier;
    outcome.start = { ...rest, lastAfterDueMs: lastStartAfterDueMs, perSecond: startsPerSecond };
    delete (outcome as { firing?: EarlierFiring }).firing;
  }
  return report;
}
