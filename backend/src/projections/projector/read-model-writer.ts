import type { PoolClient } from 'pg';
import type { ExistingTaskState } from '../../tasks/domain/task.state';
import { ledgerStatements, truncationStatements } from '../occurrence-ledger/ledger-statements';
import { calendarStatements } from './calendar-rows';
import { quoteIdentifier } from '../read-model/read-model-schema';
import type { Statement } from '../read-model/statement';
import type { DueRow, LoadedTask, ProjectedBatch, TaskRow } from './project-events';

/**
 * The SQL side of a projector batch, on the caller's client and transaction. Every write is one
 * set-based statement per table (rows travel as one JSON array), so a batch of thousands of events
 * is a handful of statements, which the projector can send in one go (pipelined).
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
    const { text, values } = this.lockStatement;
    await client.query(text, values);
    // If a rebuild swapped the schema while the statement above waited, it locked the retired table's
    // row (names resolve when a statement starts). This statement resolves the name anew.
    return this.lockedPosition(await client.query<{ position: string }>(text, values));
  }

  /** The position read by the second lockStatement of a batch. */
  lockedPosition({ rows }: { rows: { position: string }[] }): number {
    if (!rows[0]) throw new Error(`no checkpoint row for ${this.projector} in ${this.schema}`);
    return Number(rows[0].position);
  }

  async setCheckpoint(client: PoolClient, position: number): Promise<void> {
    const { text, values } = this.checkpointStatement(position);
    await client.query(text, values);
  }

  async loadTasks(client: PoolClient, taskIds: readonly string[]): Promise<Map<string, LoadedTask>> {
    const loaded = new Map<string, LoadedTask>();
    if (taskIds.length === 0) return loaded;
    const { rows } = await client.query<{
      task_id: string;
      state: ExistingTaskState;
      revision: string;
      changed_revision: string | null;
    }>(
      `SELECT task_id, state, revision, changed_revision FROM ${this.s}.tasks WHERE task_id = ANY($1::uuid[])`,
      [taskIds],
    );
    for (const row of rows) {
      const changedRevision = row.changed_revision === null ? null : Number(row.changed_revision);
      loaded.set(row.task_id, { state: row.state, revision: Number(row.revision), changedRevision });
    }
    return loaded;
  }

  /**
   * The batch's rows as its statements take them, built before its transaction (while the batch
   * before it is being written). Task rows and due occurrences travel as one array per column, read
   * with unnest (cheaper for PostgreSQL than one JSON document to take apart); a task row as its
   * state plus what the state does not hold, the list columns being taken from the state in SQL
   * (the same values, without sending the definition twice). The other tables' rows travel as JSON.
   * Tasks in `fresh` have no row yet: they are inserted, the others upserted.
   */
  encode(batch: ProjectedBatch, fresh: ReadonlySet<string> = NO_TASKS): EncodedBatch {
    const inserts: TaskRow[] = [];
    const upserts: TaskRow[] = [];
    for (const row of batch.tasks) (fresh.has(row.task_id) ? inserts : upserts).push(row);
    const json = (rows: readonly unknown[]) => (rows.length === 0 ? null : JSON.stringify(rows));
    return {
      insertTasks: taskColumns(inserts),
      upsertTasks: taskColumns(upserts),
      dueRows: dueColumns(batch.dueRows),
      executions: json(batch.executions),
      stats: json(batch.stats),
      statusDeltas: json(batch.statusDeltas),
      parked: json(batch.parked),
    };
  }

  /** The statements that write the batch's task rows: fresh ones inserted, the others upserted. */
  taskStatements(encoded: EncodedBatch): Statement[] {
    const statements: Statement[] = [];
    if (encoded.insertTasks) statements.push({ text: this.insertTasks, values: encoded.insertTasks });
    if (encoded.upsertTasks) statements.push({ text: this.upsertTasks, values: encoded.upsertTasks });
    return statements;
  }

  private get insertTasks(): string {
    return `INSERT INTO ${this.s}.tasks AS t (task_id, name, status, bucket, schedule_kind, definition, state,
         revision, position, registered_at, updated_at, next_due_at, last_outcome, last_execution_at,
         changed_revision)
       SELECT task_id, state #>> '{definition,name}', state ->> 'status', (state ->> 'bucket')::int,
         state #>> '{definition,schedule,kind}', state -> 'definition', state, revision, position,
         (state ->> 'registeredAt')::timestamptz, updated_at, next_due_at,
         state #>> '{lastExecution,outcome}', (state #>> '{lastExecution,finishedAt}')::timestamptz,
         changed_revision
       FROM unnest($1::uuid[], $2::jsonb[], $3::bigint[], $4::bigint[], $5::timestamptz[], $6::timestamptz[],
         $7::bigint[])
         AS r(task_id, state, revision, position, updated_at, next_due_at, changed_revision)`;
  }

  private get upsertTasks(): string {
    return `${this.insertTasks}
       ON CONFLICT (task_id) DO UPDATE SET name = excluded.name, status = excluded.status,
         bucket = excluded.bucket, schedule_kind = excluded.schedule_kind, definition = excluded.definition,
         state = excluded.state, revision = excluded.revision, position = excluded.position,
         registered_at = excluded.registered_at, updated_at = excluded.updated_at,
         next_due_at = excluded.next_due_at, last_outcome = excluded.last_outcome,
         last_execution_at = excluded.last_execution_at, changed_revision = excluded.changed_revision`;
  }

  /** The statements that write everything else the batch changed: due occurrences, executions,
   *  statistics, counts, parked events. */
  restStatements(batch: ProjectedBatch, encoded: EncodedBatch): Statement[] {
    const statements: Statement[] = [];
    if (batch.dueTaskIds.length > 0) {
      statements.push({
        text: `DELETE FROM ${this.s}.due_occurrences WHERE task_id = ANY($1::uuid[])`,
        values: [batch.dueTaskIds],
      });
    }
    if (encoded.dueRows) {
      statements.push({
        text: `INSERT INTO ${this.s}.due_occurrences (task_id, occurrence, attempt, bucket, due_at, reason, position)
         SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::timestamptz[], $6::text[],
           $7::bigint[])`,
        values: encoded.dueRows,
      });
    }
    if (encoded.executions) {
      statements.push({
        text: `INSERT INTO ${this.s}.executions AS e (task_id, occurrence, attempt, bucket, due_at, started_at,
           finished_at, outcome, lag_ms, duration_ms, worker_id, output, error, schedule_reason, position,
           planned_at, waited_ms)
         SELECT task_id, occurrence, attempt, bucket, due_at, started_at,
           finished_at, outcome, lag_ms, duration_ms, worker_id, output, error, schedule_reason, position,
           planned_at, waited_ms
         FROM jsonb_to_recordset($1::jsonb) AS r(task_id uuid, occurrence int, attempt int, bucket int,
           due_at timestamptz, started_at timestamptz, finished_at timestamptz, outcome text, lag_ms bigint,
           duration_ms bigint, worker_id text, output text, error text, schedule_reason text,
           position bigint, planned_at timestamptz, waited_ms bigint)
         ON CONFLICT (task_id, occurrence, attempt) DO UPDATE SET bucket = excluded.bucket,
           due_at = coalesce(excluded.due_at, e.due_at), started_at = excluded.started_at,
           planned_at = coalesce(excluded.planned_at, e.planned_at),
           finished_at = excluded.finished_at, outcome = excluded.outcome,
           lag_ms = coalesce(excluded.lag_ms, e.lag_ms), duration_ms = excluded.duration_ms,
           worker_id = coalesce(excluded.worker_id, e.worker_id), output = excluded.output,
           error = excluded.error, schedule_reason = coalesce(excluded.schedule_reason, e.schedule_reason),
           position = excluded.position, waited_ms = coalesce(excluded.waited_ms, e.waited_ms)`,
        values: [encoded.executions],
      });
    }
    statements.push(...ledgerStatements(this.s, batch.ledger));
    statements.push(...calendarStatements(this.s, batch.calendars));
    statements.push(...truncationStatements(this.s, batch.truncations));
    if (encoded.stats) {
      statements.push({
        text: `INSERT INTO ${this.s}.stats_minute AS s (minute, outcome, count, lag_sum_ms, lag_max_ms, lag_histogram)
         SELECT minute, outcome, count, lag_sum_ms, lag_max_ms, lag_histogram
         FROM jsonb_to_recordset($1::jsonb) AS r(minute timestamptz, outcome text, count int,
           lag_sum_ms bigint, lag_max_ms bigint, lag_histogram int[])
         ON CONFLICT (minute, outcome) DO UPDATE SET count = s.count + excluded.count,
           lag_sum_ms = s.lag_sum_ms + excluded.lag_sum_ms,
           lag_max_ms = greatest(s.lag_max_ms, excluded.lag_max_ms),
           lag_histogram = ARRAY(
             SELECT a + b FROM unnest(s.lag_histogram, excluded.lag_histogram) WITH ORDINALITY AS h(a, b, i)
             ORDER BY i)`,
        values: [encoded.stats],
      });
    }
    if (encoded.statusDeltas) {
      statements.push({
        text: `INSERT INTO ${this.s}.task_status_counts AS c (status, count)
         SELECT status, delta FROM jsonb_to_recordset($1::jsonb) AS r(status text, delta bigint)
         ON CONFLICT (status) DO UPDATE SET count = c.count + excluded.count`,
        values: [encoded.statusDeltas],
      });
    }
    if (encoded.parked) statements.push(this.parkedStatement(encoded.parked));
    return statements;
  }

  /** Moves the checkpoint (in the batch's transaction). */
  checkpointStatement(position: number): Statement {
    return {
      text: `UPDATE ${this.s}.checkpoints SET position = $2 WHERE projector = $1`,
      values: [this.projector, position],
    };
  }

  /** Locks the checkpoint row and reads it; see lockCheckpoint. */
  get lockStatement(): Statement {
    return {
      text: `SELECT position FROM ${this.s}.checkpoints WHERE projector = $1 FOR UPDATE`,
      values: [this.projector],
    };
  }

  async writeParked(client: PoolClient, parked: ProjectedBatch['parked']): Promise<void> {
    if (parked.length === 0) return;
    const { text, values } = this.parkedStatement(JSON.stringify(parked));
    await client.query(text, values);
  }

  private parkedStatement(parked: string): Statement {
    return {
      text: `INSERT INTO ${this.s}.parked_events (position, stream_id, revision, type, error, recorded_at)
       SELECT position, stream_id, revision, type, error, recorded_at
       FROM jsonb_to_recordset($1::jsonb) AS r(position bigint, stream_id text, revision bigint, type text,
         error text, recorded_at timestamptz)
       ON CONFLICT (position) DO NOTHING`,
      values: [parked],
    };
  }
}

const NO_TASKS: ReadonlySet<string> = new Set();

/** A batch's rows, encoded for its statements (null: none): column arrays, or JSON arrays of rows. */
export interface EncodedBatch {
  insertTasks: string[] | null;
  upsertTasks: string[] | null;
  dueRows: string[] | null;
  executions: string | null;
  stats: string | null;
  statusDeltas: string | null;
  parked: string | null;
}

/** Task rows as unnest's arrays: id, state, revision, position, updated_at, next_due_at. */
function taskColumns(rows: readonly TaskRow[]): string[] | null {
  if (rows.length === 0) return null;
  const ids: string[] = [];
  const states: string[] = [];
  const revisions: number[] = [];
  const positions: number[] = [];
  const updated: string[] = [];
  const nextDue: (string | null)[] = [];
  const changed: (number | null)[] = [];
  for (const row of rows) {
    ids.push(row.task_id);
    states.push(JSON.stringify(row.state));
    revisions.push(row.revision);
    positions.push(row.position);
    updated.push(row.updated_at);
    nextDue.push(row.next_due_at);
    changed.push(row.changed_revision);
  }
  return [
    arrayLiteral(ids),
    arrayLiteral(states, { jsonTexts: true }),
    arrayLiteral(revisions),
    arrayLiteral(positions),
    arrayLiteral(updated),
    arrayLiteral(nextDue),
    arrayLiteral(changed),
  ];
}

/** Due rows as unnest's arrays, in the table's column order. */
function dueColumns(rows: readonly DueRow[]): string[] | null {
  if (rows.length === 0) return null;
  const columns: (string | number)[][] = [[], [], [], [], [], [], []];
  for (const row of rows) {
    columns[0].push(row.task_id);
    columns[1].push(row.occurrence);
    columns[2].push(row.attempt);
    columns[3].push(row.bucket);
    columns[4].push(row.due_at);
    columns[5].push(row.reason);
    columns[6].push(row.position);
  }
  return columns.map((column) => arrayLiteral(column));
}

/**
 * A PostgreSQL array literal. Written by JSON.stringify where that is one: numbers and null as they
 * are, strings in double quotes with `"` and `\` escaped by a backslash, as an array literal wants.
 * That holds for strings without control characters, which JSON would escape its own way: always for
 * JSON texts (`jsonTexts`: JSON.stringify leaves none in them), and is checked for other strings.
 */
function arrayLiteral(
  values: readonly (string | number | null)[],
  { jsonTexts = false }: { jsonTexts?: boolean } = {},
): string {
  const json = JSON.stringify(values);
  if (jsonTexts || !/\\[^"\\]/.test(json)) return `{${json.slice(1, -1)}}`;
  const element = (value: string | number | null): string =>
    value === null
      ? 'NULL'
      : typeof value === 'number'
        ? String(value)
        : `"${value.replace(/["\\]/g, '\\$&')}"`;
  return `{${values.map(element).join(',')}}`;
}
