import { type EventStore, WrongExpectedRevisionError } from '../../event-store/event-store';
import type { TaskHistoryTruncated } from '../domain/task.events';
import { taskStreamId } from '../domain/task.events';
import { initialTaskState } from '../domain/task.state';
import { toNewEvent } from '../decide-and-append';
import { foldTaskStream, readTaskBase, type TaskStreamBase } from '../task-stream-fold';
import { considerCut, NO_CUT_YET } from './choose-cut';

/** The most events one sweep folds for one task: a longer history is cut in steps, sweep by sweep. */
export const MAX_EVENTS_PER_TASK_PER_SWEEP = 100_000;

export type TruncateOutcome =
  | { kind: 'cut'; throughRevision: number }
  | { kind: 'nothing' }
  /** A writer (a worker's firing) got in first: the next sweep tries again. */
  | { kind: 'conflict' };

/**
 * Retention for one task (ADR 012): folds its stream from its base (or revision 0) up to the cutoff,
 * chooses the cut (choose-cut.ts), appends TaskHistoryTruncated with the stream's expected revision
 * (the read model prunes itself on it), then cuts the stream, keeping the state at the cut as its
 * base. Should the process stop between the two, the next sweep cuts again (the marker's effect on
 * the read model is the same twice).
 */
export async function truncateTaskHistory(
  store: EventStore,
  taskId: string,
  olderThan: Date,
  options: {
    maxEvents?: number;
    /**
     * The revision the read model has applied for this task: the cut stays at or before it, so the
     * live projector never misses a removed event (it would fold past a gap).
     */
    appliedRevision?: number;
  } = {},
): Promise<TruncateOutcome> {
  const { maxEvents = MAX_EVENTS_PER_TASK_PER_SWEEP, appliedRevision = Infinity } = options;
  const stream = taskStreamId(taskId);
  const [lastEvent] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
  if (!lastEvent) return { kind: 'nothing' };
  const lastRevision = lastEvent.revision;
  const base = await readTaskBase(store, taskId);
  const start = base ?? { state: initialTaskState, revision: -1 };
  const limits = { olderThan, lastRevision };
  let search = NO_CUT_YET;
  for await (const step of foldTaskStream(store, taskId, start, {
    toRevision: Math.min(lastRevision - 1, start.revision + maxEvents, appliedRevision),
  })) {
    search = considerCut(search, step, limits);
    if (search.done) break;
  }
  const cut = search.chosen;
  if (!cut || cut.state.status === 'none') return { kind: 'nothing' };

  const marker: TaskHistoryTruncated = {
    type: 'TaskHistoryTruncated',
    data: {
      throughRevision: cut.revision,
      throughPosition: cut.position,
      olderThan: olderThan.toISOString(),
    },
  };
  try {
    await store.append(stream, [toNewEvent(marker)], lastRevision);
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) return { kind: 'conflict' };
    throw error;
  }
  const kept: TaskStreamBase = {
    state: cut.state,
    changedRevision: cut.changedRevision,
    position: cut.position,
    recordedAt: cut.recordedAt.toISOString(),
  };
  await store.truncateStream(stream, { throughRevision: cut.revision, base: kept });
  return { kind: 'cut', throughRevision: cut.revision };
}
