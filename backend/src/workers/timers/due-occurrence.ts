import type { TaskSnapshot } from '../firing/task-snapshots';

/** One pending (occurrence, attempt) of a task, as a timer actor holds it. */
export interface DueOccurrence {
  taskId: string;
  bucket: number;
  occurrence: number;
  attempt: number;
  /** Epoch milliseconds when it may fire: a jittered occurrence's planned time (ADR 016). */
  dueAt: number;
  /** The task's revision when the occurrence was read. */
  revision: number;
  /** The task's state, when already known (this worker wrote it); else the firer fetches it. */
  snapshot?: TaskSnapshot;
  /** A state was looked for ahead of time (found or not): do not look again before firing. */
  prepared?: boolean;
}

export const dueKey = (due: Pick<DueOccurrence, 'taskId' | 'occurrence' | 'attempt'>): string =>
  `${due.taskId}:${due.occurrence}:${due.attempt}`;

/** Due rows written after a position: what changed since a worker last looked. */
export interface DueChanges {
  due: DueOccurrence[];
  /** Continue from here next time. */
  head: number;
  /** More rows are waiting: read again at once. */
  more: boolean;
}

/** Where upcoming occurrences come from (the read model). */
export interface DueSource {
  /** A bucket's occurrences due by `until`. */
  load(bucket: number, until: Date): Promise<DueOccurrence[]>;
  /** Where changes begin now. */
  head(): Promise<number>;
  /** Rows of these buckets written after `since`, of occurrences due by `until`. */
  changesSince(buckets: number[], since: number, until: Date): Promise<DueChanges>;
}

/** Fires due occurrences; answers the new ones it scheduled (next occurrences) for the heap. */
export interface Firer {
  fire(due: DueOccurrence[]): Promise<DueOccurrence[]>;
  /** Attaches task states to occurrences about to fall due, so firing them needs no query. */
  prepare(due: DueOccurrence[]): Promise<void>;
}
