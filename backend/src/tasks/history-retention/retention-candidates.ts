import type { Pool } from 'pg';

/** A task that may have history to cut, and the revision the read model has applied for it. */
export interface RetentionCandidate {
  taskId: string;
  appliedRevision: number;
}

/** Where the sweeper finds tasks that may have history to cut, a page at a time (by task id). */
export interface RetentionCandidates {
  /** Up to `limit` tasks after `afterTaskId` (in id order) that may hold events older than `olderThan`. */
  page(olderThan: Date, afterTaskId: string | null, limit: number): Promise<RetentionCandidate[]>;
}

/**
 * From the read model: tasks with an execution or a skipped occurrence older than the cutoff (each an
 * indexed look-up per task). Once a task is cut, the marker removes those rows, so it stops being a
 * candidate until older history builds up again. A task whose old events are neither (a task with
 * only its registration and changes) is small, and left whole.
 */
export class ReadModelRetentionCandidates implements RetentionCandidates {
  constructor(private readonly readModel: Pool) {}

  async page(olderThan: Date, afterTaskId: string | null, limit: number): Promise<RetentionCandidate[]> {
    const { rows } = await this.readModel.query<{ task_id: string; revision: string }>(
      `SELECT t.task_id, t.revision FROM read_model.tasks AS t
        WHERE ($2::uuid IS NULL OR t.task_id > $2::uuid)
          AND (EXISTS (SELECT FROM read_model.executions AS e
                        WHERE e.task_id = t.task_id AND e.started_at < $1)
            OR EXISTS (SELECT FROM read_model.skipped_occurrences AS k
                        WHERE k.task_id = t.task_id AND k.skipped_at < $1))
        ORDER BY t.task_id LIMIT $3`,
      [olderThan, afterTaskId, limit],
    );
    return rows.map((row) => ({ taskId: row.task_id, appliedRevision: Number(row.revision) }));
  }
}
