import type { EventStore } from '../event-store/event-store';
import { readStreamInPages } from '../event-store/read-in-pages';
import { assertTaskEvent, CHANGES_BY_PEOPLE, taskStreamId } from './domain/task.events';
import { evolve, type ExistingTaskState, type TaskState } from './domain/task.state';

/**
 * Retention (ADR 012) cuts a task's stream at a revision and keeps, beside it, the task as of that
 * revision: what the read model's snapshot row holds (ADR 011), so that a fold from the base equals
 * a fold from revision 0. Stored as opaque JSON by the event store (truncateStream).
 */
export interface TaskStreamBase {
  state: ExistingTaskState;
  /** Revision of the last change by a person at the cut (If-Match); null when not known. */
  changedRevision: number | null;
  /** Global position of the event at the cut. */
  position: number;
  /** When the event at the cut was recorded (ISO): as-of that revision answers it. */
  recordedAt: string;
}

/** A task's base as the store keeps it, with where the kept stream starts. */
export interface LoadedTaskBase extends TaskStreamBase {
  /** The last revision removed: the stream's kept events start after it. */
  revision: number;
  truncatedAt: Date;
}

/** The base of a task whose stream was cut; undefined when it never was. */
export async function readTaskBase(store: EventStore, taskId: string): Promise<LoadedTaskBase | undefined> {
  const found = await store.readStreamBase(taskStreamId(taskId));
  if (!found) return undefined;
  const base = found.base as Partial<TaskStreamBase> | null;
  const state = base?.state as Partial<ExistingTaskState> | undefined;
  if (
    typeof state !== 'object' ||
    state === null ||
    typeof state.status !== 'string' ||
    typeof base?.position !== 'number' ||
    typeof base.recordedAt !== 'string'
  ) {
    throw new Error(`task ${taskId}: its stream's base at revision ${found.revision} is malformed`);
  }
  return {
    state: base.state as ExistingTaskState,
    changedRevision: typeof base.changedRevision === 'number' ? base.changedRevision : null,
    position: base.position,
    recordedAt: base.recordedAt,
    revision: found.revision,
    truncatedAt: found.truncatedAt,
  };
}

/** Where a fold starts: a task's state as of a revision (-1 and the empty state: the beginning). */
export interface FoldStart {
  state: TaskState;
  revision: number;
  position?: number;
  changedRevision?: number | null;
}

/** The task after one more event of its stream. */
export interface FoldStep {
  state: TaskState;
  revision: number;
  position: number;
  changedRevision: number | null;
  recordedAt: Date;
}

/**
 * Folds a task's stream from `start` on, a page at a time, yielding the state after each event. The
 * one fold every reader shares: when the stream begins after the revision asked for (retention cut
 * what was there), the stream's base stands for the removed events, so folding what is kept gives
 * the task a fold of the whole stream gives.
 */
export async function* foldTaskStream(
  store: EventStore,
  taskId: string,
  start: FoldStart,
  options: { toRevision?: number; pageSize?: number } = {},
): AsyncGenerator<FoldStep> {
  let { state, revision } = start;
  let changedRevision = start.changedRevision ?? null;
  for await (const event of readStreamInPages(store, taskStreamId(taskId), {
    ...options,
    fromRevision: revision + 1,
  })) {
    if (event.revision > revision + 1) {
      const base = await readTaskBase(store, taskId);
      if (!base || base.revision !== event.revision - 1) {
        throw new Error(
          `task ${taskId}: its stream lacks revisions ${revision + 1}..${event.revision - 1}` +
            (base ? ` (its base is at ${base.revision}; it was cut again, retry)` : ' and has no base'),
        );
      }
      ({ state, changedRevision } = base);
    }
    state = evolve(state, assertTaskEvent(event.type, event.data));
    if (CHANGES_BY_PEOPLE.has(event.type)) changedRevision = event.revision;
    revision = event.revision;
    yield { state, revision, position: event.position, changedRevision, recordedAt: event.recordedAt };
  }
}
