import type { EventStore } from '../../event-store/event-store';
import type { RetentionCandidates } from './retention-candidates';
import { MAX_EVENTS_PER_TASK_PER_SWEEP, truncateTaskHistory } from './truncate-task-history';

export interface SweepResult {
  /** Tasks whose stream was cut. */
  cut: number;
  /** Tasks a concurrent writer got ahead of: tried again at the next sweep. */
  conflicts: number;
  failed: number;
}

export interface SweepLogger {
  log(message: string): void;
  warn(message: string): void;
}

const PAGE = 500;

/** One pass of retention over every candidate task (KAIROS_HISTORY_RETENTION, ADR 012). */
export class HistoryRetentionSweeper {
  constructor(
    private readonly store: EventStore,
    private readonly candidates: RetentionCandidates,
    private readonly retentionMs: number,
    private readonly logger: SweepLogger = { log: () => undefined, warn: () => undefined },
    private readonly maxEventsPerTask = MAX_EVENTS_PER_TASK_PER_SWEEP,
  ) {}

  async sweep(now: Date = new Date(), signal?: AbortSignal): Promise<SweepResult> {
    const olderThan = new Date(now.getTime() - this.retentionMs);
    const result: SweepResult = { cut: 0, conflicts: 0, failed: 0 };
    for (let after: string | null = null; !signal?.aborted;) {
      const candidates = await this.candidates.page(olderThan, after, PAGE);
      for (const { taskId, appliedRevision } of candidates) {
        if (signal?.aborted) break;
        try {
          const outcome = await truncateTaskHistory(this.store, taskId, olderThan, {
            maxEvents: this.maxEventsPerTask,
            appliedRevision,
          });
          if (outcome.kind === 'cut') result.cut++;
          if (outcome.kind === 'conflict') result.conflicts++;
        } catch (error) {
          // One task's trouble (a malformed base, a store hiccup) must not stop the others.
          result.failed++;
          this.logger.warn(`retention: task ${taskId} not cut: ${(error as Error).message}`);
        }
      }
      if (candidates.length < PAGE) break;
      after = candidates[candidates.length - 1].taskId;
    }
    if (result.cut + result.conflicts + result.failed > 0) {
      this.logger.log(
        `retention: cut the history of ${result.cut} tasks before ${olderThan.toISOString()}` +
          ` (${result.conflicts} busy, ${result.failed} failed)`,
      );
    }
    return result;
  }
}
