import type { PoolClient } from 'pg';
import type { ExistingTaskState } from '../../../backend/src/tasks/domain/task.state';
import { quoteIdentifier } from '../read-model/read-model-schema';
import type { LoadedTask, ProjectedBatch } from './project-events';

/**
 * The SQL side of a projector batch, on the caller's client and transaction. Every write is one
 * set-based statement per table (rows travel as one JSON array), so a batch of 500 events costs a
 * handful of round trips.
 */
export class ReadModelWriter {
  private readonly s: string;

  constructor(
    readonly schema: string,
    private readonly projector: string,
  ) {
    this.s = quoteIdentifier(schema);
  }

  /** Creates the projector's checkpoint row if missing; returns its position. */
  async ensureCheckpoint(client: PoolClient): Promise<number> {
    await client.query(
      `INSERT INTO ${this.s}.checkpoints (projector, position) VALUES ($1, 0) ON CONFLICT DO NOTHING`,
      [this.projector],
    );
    return this.readCheckpoint(client);
  }

  async readCheckpoint(client: PoolClient): Promise<number> {
    const { rows } = await client.query<{ position: string }>(
      `SELECT position FROM ${this.s}.checkpoints WHERE projector = $1`,
      [this.projector],
    );
    if (!rows[0]) throw new Error(`no checkpoint row for ${this.projector} in ${this.schema}`);
    return Number(rows[0].position);
  }

  /**
   * Locks the checkpoint row until the transaction ends: no other projector applies events meanwhile,
   * and a rebuild cannot swap schemas under this batch.
   */
  async lockCheckpoint(client: PoolClient): Promise<number> {
    const sql = `SELECT position FROM ${this.s}.checkpoints WHERE projector = $1 FOR UPDATE`;
    await client.query(sql, [this.projector]);
    // If a rebuild swapped the schema while the statement above waited, it locked the retired table's
    // row (names resolve when a statement starts). This statement resolves the name anew.
    const { rows } = await client.query<{ position: string }>(sql, [this.projector]);
    if (!rows[0]) throw new Error(`no checkpoint row for ${this.projector} in ${this.schema}`);
    return Number(rows[0].position);
  }

  async setCheckpoint(client: PoolClient, position: number): Promise<void> {
    await client.query(`UPDATE ${this.s}.checkpoints SET position = $2 WHERE projector = $1`, [
      this.projector,
      position,
    ]);
  }

  async loadTasks(client: PoolClient, taskIds: string[]): Promise<Map<string, LoadedTask>> {
    const loaded = new Map<string, LoadedTask>();
    if (taskIds.length === 0) return loaded;
    const { rows } = await client.query<{ task_id: string; state: ExistingTaskState; revision: string }>(
      `SELECT task_id, state, revision FROM ${this.s}.tasks WHERE task_id = ANY($1::uuid[])`,
      [taskIds],
    );
    for (const row of rows) loaded.set(row.task_id, { state: row.state, revision: Number(row.revision) });
    return loaded;
  }

  async writeTasks(client: PoolClient, batch: ProjectedBatch): Promise<void> {
    if (batch.tasks.length === 0) return;
    await client.query(
      `INSERT INTO ${this.s}.tasks AS t (task_id, name, status, bucket, schedule_kind, definition, state,
         revision, position, registered_at, updated_at, next_due_at, last_outcome, last_execution_at)
       SELECT task_id, name, status, bucket, schedule_kind, definition, state,
         revision, position, registered_at, updated_at, next_due_at, last_outcome, last_execution_at
       FROM jsonb_to_recordset($1::jsonb) AS r(task_id uuid, name text, status text, bucket int,
         schedule_kind text, definition jsonb, state jsonb, revision bigint, position bigint,
         registered_at timestamptz, updated_at timestamptz, next_due_at timestamptz, last_outcome text,
         last_execution_at timestamptz)
       ON CONFLICT (task_id) DO UPDATE SET name = excluded.name, status = excluded.status,
         bucket = excluded.bucket, schedule_kind = excluded.schedule_kind, definition = excluded.definition,
         state = excluded.state, revision = excluded.revision, position = excluded.position,
         registered_at = excluded.registered_at, updated_at = excluded.updated_at,
         next_due_at = excluded.next_due_at, last_outcome = excluded.last_outcome,
         last_execution_at = excluded.last_execution_at`,
      [JSON.stringify(batch.tasks)],
    );
  }

  /** Everything else the batch changed: due occurrences, executions, statistics, counts, parked events. */
  async writeRest(client: PoolClient, batch: ProjectedBatch): Promise<void> {
    if (batch.dueTaskIds.length > 0) {
      await client.query(`DELETE FROM ${this.s}.due_occurrences WHERE task_id = ANY($1::uuid[])`, [
        batch.dueTaskIds,
      ]);
    }
    if (batch.dueRows.length > 0) {
      await client.query(
        `INSERT INTO ${this.s}.due_occurrences (task_id, occurrence, attempt, bucket, due_at, reason, position)
         SELECT task_id, occurrence, attempt, bucket, due_at, reason, position
         FROM jsonb_to_recordset($1::jsonb) AS r(task_id uuid, occurrence int, attempt int, bucket int,
           due_at timestamptz, reason text, position bigint)`,
        [JSON.stringify(batch.dueRows)],
      );
    }
    if (batch.executions.length > 0) {
      await client.query(
        `INSERT INTO ${this.s}.executions AS e (task_id, occurrence, attempt, bucket, due_at, started_at,
           finished_at, outcome, lag_ms, duration_ms, worker_id, output, error, position)
         SELECT task_id, occurrence, attempt, bucket, due_at, started_at,
           finished_at, outcome, lag_ms, duration_ms, worker_id, output, error, position
         FROM jsonb_to_recordset($1::jsonb) AS r(task_id uuid, occurrence int, attempt int, bucket int,
           due_at timestamptz, started_at timestamptz, finished_at timestamptz, outcome text, lag_ms bigint,
           duration_ms bigint, worker_id text, output text, error text, position bigint)
         ON CONFLICT (task_id, occurrence, attempt) DO UPDATE SET bucket = excluded.bucket,
           due_at = coalesce(excluded.due_at, e.due_at), started_at = excluded.started_at,
           finished_at = excluded.finished_at, outcome = excluded.outcome,
           lag_ms = coalesce(excluded.lag_ms, e.lag_ms), duration_ms = excluded.duration_ms,
           worker_id = coalesce(excluded.worker_id, e.worker_id), output = excluded.output,
           error = excluded.error, position = excluded.position`,
        [JSON.stringify(batch.executions)],
      );
    }
    if (batch.stats.length > 0) {
      await client.query(
        `INSERT INTO ${this.s}.stats_minute AS s (minute, outcome, count, lag_sum_ms, lag_max_ms, lag_histogram)
         SELECT minute, outcome, count, lag_sum_ms, lag_max_ms, lag_histogram
         FROM jsonb_to_recordset($1::jsonb) AS r(minute timestamptz, outcome text, count int,
           lag_sum_ms bigint, lag_max_ms bigint, lag_histogram int[])
         ON CONFLICT (minute, outcome) DO UPDATE SET count = s.count + excluded.count,
           lag_sum_ms = s.lag_sum_ms + excluded.lag_sum_ms,
           lag_max_ms = greatest(s.lag_max_ms, excluded.lag_max_ms),
           lag_histogram = ARRAY(
             SELECT a + b FROM unnest(s.lag_histogram, excluded.lag_histogram) WITH ORDINALITY AS h(a, b, i)
             ORDER BY i)`,
        [JSON.stringify(batch.stats)],
      );
    }
    if (batch.statusDeltas.length > 0) {
      await client.query(
        `INSERT INTO ${this.s}.task_status_counts AS c (status, count)
         SELECT status, delta FROM jsonb_to_recordset($1::jsonb) AS r(status text, delta bigint)
         ON CONFLICT (status) DO UPDATE SET count = c.count + excluded.count`,
        [JSON.stringify(batch.statusDeltas)],
      );
    }
    await this.writeParked(client, batch.parked);
  }

  async writeParked(client: PoolClient, parked: ProjectedBatch['parked']): Promise<void> {
    if (parked.length === 0) return;
    await client.query(
      `INSERT INTO ${this.s}.parked_events (position, stream_id, revision, type, error, recorded_at)
       SELECT position, stream_id, revision, type, error, recorded_at
       FROM jsonb_to_recordset($1::jsonb) AS r(position bigint, stream_id text, revision bigint, type text,
         error text, recorded_at timestamptz)
       ON CONFLICT (position) DO NOTHING`,
      [JSON.stringify(parked)],
    );
  }
}
