import type { Statement } from '../read-model/statement';
import type { LedgerBatch } from './ledger-rows';

/**
 * The statements that write a batch's ledger rows into the read model under `s` (a quoted schema
 * name), one set-based statement per table with rows as a JSON array; none when the batch has none.
 */
export function ledgerStatements(s: string, batch: LedgerBatch): Statement[] {
  const statements: Statement[] = [];
  if (batch.closes.length > 0) {
    // The ids again as an array: before the table is first analyzed (a read model growing from empty)
    // the planner took the join alone for a scan of every open version and a hash join, 4.8 ms a batch
    // at 30,000 versions (17 s of PostgreSQL time in W2 on the cluster); the array makes it 0.24 ms.
    statements.push({
      text: `UPDATE ${s}.schedule_versions AS v SET until = r.until, until_reason = r.until_reason,
           dropped_from = r.dropped_from, position = r.position
         FROM jsonb_to_recordset($1::jsonb) AS r(task_id uuid, until timestamptz, until_reason text,
           dropped_from timestamptz, position bigint)
         WHERE v.task_id = r.task_id AND v.until IS NULL AND v.task_id = ANY($2::uuid[])`,
      values: [JSON.stringify(batch.closes), batch.closes.map((close) => close.task_id)],
    });
  }
  if (batch.versions.length > 0) {
    statements.push({
      text: `INSERT INTO ${s}.schedule_versions AS v (task_id, opened_position, since, schedule, until,
           until_reason, dropped_from, position)
         SELECT task_id, opened_position, since, schedule, until, until_reason, dropped_from, position
         FROM jsonb_to_recordset($1::jsonb) AS r(task_id uuid, opened_position bigint, since timestamptz,
           schedule jsonb, until timestamptz, until_reason text, dropped_from timestamptz, position bigint)
         ON CONFLICT (task_id, opened_position) DO UPDATE SET since = excluded.since,
           schedule = excluded.schedule, until = excluded.until, until_reason = excluded.until_reason,
           dropped_from = excluded.dropped_from, position = excluded.position`,
      values: [JSON.stringify(batch.versions)],
    });
  }
  if (batch.pauses.length > 0) {
    // A resume of a pause stored by an earlier batch ends it: owed_from stays as that batch wrote it.
    statements.push({
      text: `INSERT INTO ${s}.pause_intervals AS p (task_id, paused_at, owed_from, resumed_at, paused_position,
           position)
         SELECT task_id, paused_at, owed_from, resumed_at, paused_position, position
         FROM jsonb_to_recordset($1::jsonb) AS r(task_id uuid, paused_at timestamptz,
           owed_from timestamptz, resumed_at timestamptz, paused_position bigint, position bigint)
         ON CONFLICT (task_id, paused_at) DO UPDATE SET resumed_at = excluded.resumed_at,
           position = excluded.position`,
      values: [JSON.stringify(batch.pauses)],
    });
  }
  if (batch.skips.length > 0) {
    statements.push({
      text: `INSERT INTO ${s}.skipped_occurrences AS k (task_id, occurrence, due_at, reason, skipped_at, position,
           calendar_id)
         SELECT task_id, occurrence, due_at, reason, skipped_at, position, calendar_id
         FROM jsonb_to_recordset($1::jsonb) AS r(task_id uuid, occurrence int, due_at timestamptz,
           reason text, skipped_at timestamptz, position bigint, calendar_id uuid)
         ON CONFLICT (task_id, occurrence) DO UPDATE SET due_at = excluded.due_at,
           reason = excluded.reason, skipped_at = excluded.skipped_at, position = excluded.position,
           calendar_id = excluded.calendar_id`,
      values: [JSON.stringify(batch.skips)],
    });
  }
  return statements;
}

/** A TaskHistoryTruncated as the read model applies it: the task, its stream, where the cut is. */
export interface Truncation {
  task_id: string;
  stream_id: string;
  through_revision: number;
  through_position: number;
}

/**
 * Retention (ADR 012): what TaskHistoryTruncated removes from the read model, keyed by the position of
 * the last removed event, so that the read model equals one rebuilt from the kept log and the base.
 * The cut falls where no run is in progress, so an execution ended at or before it exactly when it
 * started at or before it. Rows that were still open at the cut (the schedule in effect, a pause in
 * progress) stay, in the form a fold from the base writes (LedgerRows.startFromBase); due rows
 * changed before the cut take its position. Runs after the batch's own rows are written.
 */
export function truncationStatements(s: string, truncations: readonly Truncation[]): Statement[] {
  if (truncations.length === 0) return [];
  const cuts = `jsonb_to_recordset($1::jsonb) AS c(task_id uuid, stream_id text, through_revision bigint,
    through_position bigint)`;
  const values = [JSON.stringify(truncations)];
  return [
    `DELETE FROM ${s}.executions AS x USING ${cuts}
      WHERE x.task_id = c.task_id AND x.position <= c.through_position`,
    `DELETE FROM ${s}.skipped_occurrences AS x USING ${cuts}
      WHERE x.task_id = c.task_id AND x.position <= c.through_position`,
    `DELETE FROM ${s}.schedule_versions AS x USING ${cuts}
      WHERE x.task_id = c.task_id AND x.until IS NOT NULL AND x.position <= c.through_position`,
    `UPDATE ${s}.schedule_versions AS x SET opened_position = c.through_position,
        position = greatest(x.position, c.through_position)
       FROM ${cuts} WHERE x.task_id = c.task_id AND x.opened_position < c.through_position`,
    `DELETE FROM ${s}.pause_intervals AS x USING ${cuts}
      WHERE x.task_id = c.task_id AND x.resumed_at IS NOT NULL AND x.position <= c.through_position`,
    `UPDATE ${s}.pause_intervals AS x SET owed_from = x.paused_at, paused_position = c.through_position,
        position = greatest(x.position, c.through_position)
       FROM ${cuts} WHERE x.task_id = c.task_id
        AND coalesce(x.paused_position, x.position) <= c.through_position`,
    `UPDATE ${s}.due_occurrences AS x SET position = c.through_position
       FROM ${cuts} WHERE x.task_id = c.task_id AND x.position < c.through_position`,
    `DELETE FROM ${s}.parked_events AS x USING ${cuts}
      WHERE x.stream_id = c.stream_id AND x.revision <= c.through_revision`,
  ].map((text) => ({ text, values }));
}
