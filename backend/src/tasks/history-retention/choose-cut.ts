/**
 * Where retention cuts a task's stream (ADR 012), without I/O: the last revision recorded before the
 * cutoff at which the task has no run in progress, never the stream's last event. No run in progress
 * means every execution the cut removes also ended before it, so the read model drops whole
 * executions (by the position of the cut) and a fold from the base knows of no half-removed run.
 */
import type { FoldStep } from '../task-stream-fold';

export interface CutLimits {
  /** Only events recorded before this instant may go. */
  olderThan: Date;
  /** The stream's last revision: it always stays. */
  lastRevision: number;
}

/** A search for the cut along a fold, one step at a time. */
export interface CutSearch {
  chosen: FoldStep | undefined;
  /** Nothing later can be a cut: the fold may stop. */
  done: boolean;
}

export const NO_CUT_YET: CutSearch = { chosen: undefined, done: false };

/** Whether the stream may be cut right after `step`. */
export function isCutPoint(step: FoldStep, { olderThan, lastRevision }: CutLimits): boolean {
  return (
    step.recordedAt.getTime() < olderThan.getTime() &&
    step.revision < lastRevision &&
    step.state.status !== 'none' &&
    step.state.running.length === 0
  );
}

/** The search after one more step of the fold (steps come in revision order). */
export function considerCut(search: CutSearch, step: FoldStep, limits: CutLimits): CutSearch {
  if (search.done) return search;
  // recordedAt never goes back within a stream (ADR 011), nor does a revision: past either, stop.
  if (step.recordedAt.getTime() >= limits.olderThan.getTime() || step.revision >= limits.lastRevision) {
    return { chosen: search.chosen, done: true };
  }
  return isCutPoint(step, limits) ? { chosen: step, done: false } : search;
}

/** The cut among `steps` (a whole fold): the last cut point, or undefined when there is none. */
export function chooseCut(steps: Iterable<FoldStep>, limits: CutLimits): FoldStep | undefined {
  let search = NO_CUT_YET;
  for (const step of steps) {
    search = considerCut(search, step, limits);
    if (search.done) break;
  }
  return search.chosen;
}
