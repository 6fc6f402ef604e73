import type { Pool } from 'pg';
import type { TaskState } from './domain/task.state';

/** A task as of a revision of its stream: where a command starts before reading the stream's tail. */
export interface TaskSnapshot {
  state: TaskState;
  revision: number;
  /** Global position of the event at `revision`. */
  position: number;
  /** Revision of the last change by a person (for If-Match); null when not known. */
  changedRevision: number | null;
}

export const TASK_SNAPSHOTS = Symbol('TaskSnapshots');

/** Where commands find a task's snapshot; a cache: without one they fold the whole stream. */
export interface TaskSnapshotSource {
  read(taskId: string): Promise<TaskSnapshot | undefined>;
}

/**
 * The read model's task row as the snapshot (ADR 011): the projector folds every task with the same
 * evolve and keeps state, revision and position in one row, near the head of the log.
 */
export class ReadModelTaskSnapshots implements TaskSnapshotSource {
  constructor(private readonly readModel: Pool) {}

  async read(taskId: string): Promise<TaskSnapshot | undefined> {
    const { rows } = await this.readModel.query<{
      state: TaskState;
      revision: string;
      position: string;
      changed_revision: string | null;
    }>('SELECT state, revision, position, changed_revision FROM read_model.tasks WHERE task_id = $1', [
      taskId,
    ]);
    const row = rows[0];
    if (!row) return undefined;
    return {
      state: row.state,
      revision: Number(row.revision),
      position: Number(row.position),
      changedRevision: row.changed_revision === null ? null : Number(row.changed_revision),
    };
  }
}
