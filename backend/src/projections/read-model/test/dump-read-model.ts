import type { Pool } from 'pg';
import { READ_MODEL_SCHEMA, quoteIdentifier } from '../read-model-schema';

/** Every table's rows in key order (as JSON), for comparing two read models row for row. */
export async function dumpReadModel(
  pool: Pool,
  schema: string = READ_MODEL_SCHEMA,
): Promise<Record<string, unknown[]>> {
  const s = quoteIdentifier(schema);
  const queries: Record<string, string> = {
    checkpoints: `SELECT to_jsonb(t) AS row FROM ${s}.checkpoints t ORDER BY projector`,
    tasks: `SELECT to_jsonb(t) AS row FROM ${s}.tasks t ORDER BY task_id`,
    due_occurrences: `SELECT to_jsonb(t) AS row FROM ${s}.due_occurrences t ORDER BY task_id, occurrence, attempt`,
    executions: `SELECT to_jsonb(t) AS row FROM ${s}.executions t ORDER BY task_id, occurrence, attempt`,
    stats_minute: `SELECT to_jsonb(t) AS row FROM ${s}.stats_minute t ORDER BY minute, outcome`,
    // A count that went to zero leaves a row only where a batch boundary fell between the changes.
    task_status_counts: `SELECT to_jsonb(t) AS row FROM ${s}.task_status_counts t WHERE count <> 0 ORDER BY status`,
    // parked_at is when it happened, not a fact of the log.
    parked_events: `SELECT to_jsonb(t) - 'parked_at' AS row FROM ${s}.parked_events t ORDER BY position`,
    schedule_versions: `SELECT to_jsonb(t) AS row FROM ${s}.schedule_versions t ORDER BY task_id, opened_position`,
    pause_intervals: `SELECT to_jsonb(t) AS row FROM ${s}.pause_intervals t ORDER BY task_id, paused_at`,
    skipped_occurrences: `SELECT to_jsonb(t) AS row FROM ${s}.skipped_occurrences t ORDER BY task_id, occurrence`,
    calendars: `SELECT to_jsonb(t) AS row FROM ${s}.calendars t ORDER BY calendar_id`,
  };
  // A table left out here would escape every live-versus-rebuilt comparison: refuse to dump without it.
  const { rows: tables } = await pool.query<{ name: string }>(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
    [schema],
  );
  const missing = tables.map((t) => t.name).filter((name) => !(name in queries));
  if (missing.length > 0) throw new Error(`dumpReadModel does not cover ${missing.join(', ')}`);
  const dump: Record<string, unknown[]> = {};
  for (const [table, sql] of Object.entries(queries)) {
    dump[table] = (await pool.query<{ row: unknown }>(sql)).rows.map((r) => r.row);
  }
  return dump;
}
