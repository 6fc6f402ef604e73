import type { Pool } from 'pg';
import type { TaskSnapshots } from '../firing/task-snapshots';
import type { DueChanges, DueOccurrence, DueSource } from './due-occurrence';

interface Row {
  task_id: string;
  bucket: number;
  occurrence: number;
  attempt: number;
  due_at: Date;
  revision: string;
  position: string;
}

/** A cap on one read: a bucket with more due at once is fired in rounds (the rest on the next read). */
const MAX_LOAD = 20_000;
const MAX_CHANGES = 5_000;

/**
 * Reads upcoming occurrences from the read model. Task states are fetched only when something is about
 * to fire. When this worker knows a newer state of a task (it wrote it; the projector has not caught
 * up), occurrences that state no longer has scheduled are dropped.
 */
export class ReadModelDueSource implements DueSource {
  constructor(
    private readonly pool: Pool,
    private readonly snapshots: TaskSnapshots,
  ) {}

  /** A bucket's whole window: an index range scan on (bucket, due_at). */
  async load(bucket: number, until: Date): Promise<DueOccurrence[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT d.task_id, d.bucket, d.occurrence, d.attempt, d.due_at, t.revision, d.position
         FROM read_model.due_occurrences d JOIN read_model.tasks t ON t.task_id = d.task_id
        WHERE d.bucket = $1 AND d.due_at <= $2
        ORDER BY d.due_at
        LIMIT $3`,
      [bucket, until, MAX_LOAD],
    );
    return this.stillScheduled(rows);
  }

  /** The projector's position now: every due row written so far is at or below it. */
  async head(): Promise<number> {
    const { rows } = await this.pool.query<{ position: string | null }>(
      `SELECT max(position) AS position FROM read_model.checkpoints`,
    );
    return Number(rows[0]?.position ?? 0);
  }

  /**
   * Rows of these buckets written after position `since` and due by `until`, in position order. The
   * projector commits its batches in log order, so once a row at position p is visible every row below
   * p is too: `head` (the last row looked at) is a safe place to continue from. Rows due later are
   * looked at but not sent: the timers would drop them (their rescans load them once they come into
   * the window), and a million tasks registered ahead would otherwise cross the wire, be parsed and be
   * collected for nothing.
   */
  async changesSince(buckets: number[], since: number, until: Date): Promise<DueChanges> {
    const { rows } = await this.pool.query<Row & { head: string | null; looked: string }>(
      `WITH looked AS (
         SELECT task_id, bucket, occurrence, attempt, due_at, position
           FROM read_model.due_occurrences
          WHERE position > $1 AND bucket = ANY($2::int[])
          ORDER BY position
          LIMIT $4)
       SELECT d.task_id, d.bucket, d.occurrence, d.attempt, d.due_at, t.revision, d.position, h.head, h.looked
         FROM (SELECT max(position) AS head, count(*) AS looked FROM looked) AS h
         LEFT JOIN (looked AS d JOIN read_model.tasks AS t ON t.task_id = d.task_id) ON d.due_at <= $3
        ORDER BY d.position`,
      [since, buckets, until, MAX_CHANGES],
    );
    const head = rows[0]?.head;
    return {
      due: this.stillScheduled(rows.filter((row) => row.task_id !== null)),
      head: head === null || head === undefined ? since : Number(head),
      more: Number(rows[0]?.looked ?? 0) === MAX_CHANGES,
    };
  }

  private stillScheduled(rows: Row[]): DueOccurrence[] {
    const due: DueOccurrence[] = [];
    for (const row of rows) {
      const revision = Number(row.revision);
      const known = this.snapshots.known(row.task_id);
      if (known && known.revision > revision) {
        const state = known.state;
        const scheduled =
          state.status !== 'none' &&
          state.scheduled.some((s) => s.occurrence === row.occurrence && s.attempt === row.attempt);
        if (!scheduled) continue;
      }
      due.push({
        taskId: row.task_id,
        bucket: row.bucket,
        occurrence: row.occurrence,
        attempt: row.attempt,
        dueAt: row.due_at.getTime(),
        revision,
      });
    }
    return due;
  }
}
