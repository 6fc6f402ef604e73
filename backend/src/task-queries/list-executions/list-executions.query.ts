import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { READ_MODEL_POOL } from '../../projections';
import { decodeCursor, isUuid } from '../keyset-cursor';
import { SqlParams, readKeysetPage } from '../keyset-page';
import type { ExecutionPage, ExecutionView } from './list-executions.dto';
import type { ListExecutionsQueryParams } from './list-executions.query-schema';

interface Row {
  task_id: string;
  occurrence: number;
  attempt: number;
  due_at: Date | null;
  planned_at: Date | null;
  started_at: Date;
  finished_at: Date | null;
  outcome: string | null;
  lag_ms: string | null;
  duration_ms: string | null;
  worker_id: string | null;
  output: string | null;
  error: string | null;
  schedule_reason: string | null;
  waited_ms: string | null;
  sort_key: string;
}

/** The cursor: the last row's (started_at as PostgreSQL prints it, task, occurrence, attempt). */
type Cursor = [string, string, number, number];

/**
 * Executions newest first, by keyset over (started_at, task_id, occurrence, attempt), served by the
 * executions_by_start / _by_task / _by_outcome indexes scanned backwards.
 */
@Injectable()
export class ListExecutionsQuery {
  constructor(@Inject(READ_MODEL_POOL) private readonly pool: Pool) {}

  async run(query: ListExecutionsQueryParams): Promise<ExecutionPage> {
    const params = new SqlParams();
    const { param } = params;
    const where: string[] = [];
    if (query.taskId) where.push(`task_id = ${param(query.taskId)}`);
    if (query.outcome === 'running') where.push('outcome IS NULL');
    else if (query.outcome) where.push(`outcome = ${param(query.outcome)}`);
    if (query.since) where.push(`started_at >= ${param(query.since)}::timestamptz`);
    if (query.cursor) {
      const [startedAt, taskId, occurrence, attempt] = decodeCursor(query.cursor, isExecutionCursor);
      // With the task fixed, leave it out of the comparison so it matches the per-task index.
      where.push(
        query.taskId
          ? `(started_at, occurrence, attempt) < (${param(startedAt)}::timestamptz, ${param(occurrence)}::int, ${param(attempt)}::int)`
          : `(started_at, task_id, occurrence, attempt) < (${param(startedAt)}::timestamptz, ${param(taskId)}::uuid, ${param(occurrence)}::int, ${param(attempt)}::int)`,
      );
    }
    const sql = `SELECT task_id, occurrence, attempt, due_at, planned_at, started_at, finished_at, outcome, lag_ms,
                        duration_ms, worker_id, output, error, schedule_reason, waited_ms, started_at::text AS sort_key
                   FROM read_model.executions
                  ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
                  ORDER BY started_at DESC, task_id DESC, occurrence DESC, attempt DESC`;
    return readKeysetPage<Row, ExecutionView>(
      this.pool,
      query,
      { sql, params },
      {
        cursorAfter: (last) => [last.sort_key, last.task_id, last.occurrence, last.attempt] satisfies Cursor,
        toItem: (row) => ({
          taskId: row.task_id,
          occurrence: row.occurrence,
          attempt: row.attempt,
          dueAt: row.due_at?.toISOString() ?? null,
          plannedAt: row.planned_at?.toISOString() ?? null,
          startedAt: row.started_at.toISOString(),
          finishedAt: row.finished_at?.toISOString() ?? null,
          outcome: row.outcome,
          lagMs: row.lag_ms === null ? null : Number(row.lag_ms),
          durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
          workerId: row.worker_id,
          output: row.output,
          error: row.error,
          reason: row.schedule_reason,
          waitedMs: row.waited_ms === null ? null : Number(row.waited_ms),
        }),
      },
    );
  }
}

function isExecutionCursor(value: unknown): value is Cursor {
  return (
    Array.isArray(value) &&
    value.length === 4 &&
    typeof value[0] === 'string' &&
    isUuid(value[1]) &&
    Number.isSafeInteger(value[2]) &&
    Number.isSafeInteger(value[3])
  );
}
