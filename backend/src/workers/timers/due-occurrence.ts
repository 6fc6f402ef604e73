import type { TaskSnapshot } from '../firing/task-snapshots';

/** One pending (occurrence, attempt) of a task, as a timer actor holds it. */
export interface DueOccurrence {
  taskId: string;
  bucket: number;
  occurrence: number;
  attempt: number;
  /** Epoch milliseconds. */
  dueAt: number;
  /** The task's revision when the occurrence was read. */
  revision: number;
  /** The task's state, when already known (this worker wrote it); else the firer fetches it. */
  snapshot?: TaskSnapshot;
}

export const dueKey = (due: Pick<DueOccurrence, 'taskId' | 'occurrence' | 'attempt'>): string =>
  `${due.taskId}:${due.occurrence}:${due.attempt}`;

/** A load's answer: the occurrences, and the bucket's change position they are complete up to. */
export interface DueLoad {
  due: DueOccurrence[];
  head: number;
}

/** Where a bucket's upcoming occurrences come from (the read model). */
export interface DueSource {
  /**
   * The bucket's occurrences due by `until`; with `since`, only those written after that change
   * position (a cheap incremental look after a change report).
   */
  load(bucket: number, until: Date, since?: number): Promise<DueLoad>;
}

/** Fires due occurrences; answers the new ones it scheduled (next occurrences) for the heap. */
export interface Firer {
  fire(due: DueOccurrence[]): Promise<DueOccurrence[]>;
}
