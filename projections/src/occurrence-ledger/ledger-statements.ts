import type { Statement } from '../projector/read-model-writer';
import type { LedgerBatch } from './ledger-rows';

/**
 * The statements that write a batch's ledger rows into the read model under `s` (a quoted schema
 * name), one set-based statement per table with rows as a JSON array; none when the batch has none.
 */
export function ledgerStatements(s: string, batch: LedgerBatch): Statement[] {
  const statements: Statement[] = [];
  if (batch.closes.length > 0) {
    statements.push({
      text: `UPDATE ${s}.schedule_versions AS v SET until = r.until, until_reason = r.until_reason,
           dropped_from = r.dropped_from, position = r.position
         FROM jsonb_to_recordset($1::jsonb) AS r(task_id uuid, until timestamptz, until_reason text,
           dropped_from timestamptz, position bigint)
         WHERE v.task_id = r.task_id AND v.until IS NULL`,
      values: [JSON.stringify(batch.closes)],
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
      text: `INSERT INTO ${s}.pause_intervals AS p (task_id, paused_at, owed_from, resumed_at, position)
         SELECT task_id, paused_at, owed_from, resumed_at, position
         FROM jsonb_to_recordset($1::jsonb) AS r(task_id uuid, paused_at timestamptz,
           owed_from timestamptz, resumed_at timestamptz, position bigint)
         ON CONFLICT (task_id, paused_at) DO UPDATE SET resumed_at = excluded.resumed_at,
           position = excluded.position`,
      values: [JSON.stringify(batch.pauses)],
    });
  }
  if (batch.skips.length > 0) {
    statements.push({
      text: `INSERT INTO ${s}.skipped_occurrences AS k (task_id, occurrence, due_at, reason, skipped_at, position)
         SELECT task_id, occurrence, due_at, reason, skipped_at, position
         FROM jsonb_to_recordset($1::jsonb) AS r(task_id uuid, occurrence int, due_at timestamptz,
           reason text, skipped_at timestamptz, position bigint)
         ON CONFLICT (task_id, occurrence) DO UPDATE SET due_at = excluded.due_at,
           reason = excluded.reason, skipped_at = excluded.skipped_at, position = excluded.position`,
      values: [JSON.stringify(batch.skips)],
    });
  }
  return statements;
}
