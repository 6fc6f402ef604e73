import type { Pool } from 'pg';
import type { TaskSnapshots } from '../firing/task-snapshots';
import type { DueLoad, DueOccurrence, DueSource } from './due-occurrence';

interface Row {
  task_id: string;
  occurrence: number;
  attempt: number;
  due_at: Date;
  revision: string;
}

/** A cap on one load: a bucket with more due at once is fired in rounds (the rest on the next load). */
const MAX_LOAD = 20_000;

/**
 * Reads a bucket's upcoming occurrences from the read model: an index range scan on (bucket, due_at),
 * cheap enough to repeat whenever the projector reports a change. Task states are fetched only when
 * something is about to fire. When this worker knows a newer state of a task (it wrote it; the
 * projector has not caught up), occurrences that state no longer has scheduled are dropped.
 */
export class ReadModelDueSource implements DueSource {
  constructor(
    private readonly pool: Pool,
    private readonly snapshots: TaskSnapshots,
  ) {}

  async load(bucket: number, until: Date, since?: number): Promise<DueLoad> {
    // The head first: a row committed after it has a higher position and is found by the next look.
    const head = await this.pool.query<{ head: string | null }>(
      'SELECT max(position) AS head FROM read_model.due_occurrences WHERE bucket = $1',
      [bucket],
    );
    const { rows } = await this.pool.query<Row>(
      `SELECT d.task_id, d.occurrence, d.attempt, d.due_at, t.revision
         FROM read_model.due_occurrences d JOIN read_model.tasks t ON t.task_id = d.task_id
        WHERE d.bucket = $1 AND d.due_at <= $2 AND d.position > $4
        ORDER BY d.due_at
        LIMIT $3`,
      [bucket, until, MAX_LOAD, since ?? -1],
    );
    const due: DueOccurrence[] = [];
    for (const row of rows) {
      const revision = Number(row.revision);
      const known = this.snapshots.known(row.task_id);
      if (known && known.revision > revision) {
        const state = known.state;
        if (
          state.status === 'none' ||
          !state.scheduled.some((s) => s.occurrence === row.occurrence && s.attempt === row.attempt)
        )
          continue;
      }
      due.push({
        taskId: row.task_id,
        bucket,
        occurrence: row.occurrence,
        attempt: row.attempt,
        dueAt: row.due_at.getTime(),
        revision,
      });
    }
    return { due, head: Number(head.rows[0].head ?? 0) };
  }
}
