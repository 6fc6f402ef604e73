import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { READ_MODEL_POOL } from '../../projections';
import type { Schedule } from '../../tasks/domain/task';
import type { TaskStatus } from '../../tasks/domain/task.state';
import { decodeCursor, invalidCursor, isUuid } from '../keyset-cursor';
import { SqlParams, readKeysetPage } from '../keyset-page';
import type { TaskListItem, TaskListPage, TaskSort } from './list-tasks.dto';
import { labelContainments } from '../../tasks/http/label-filter';
import type { ListTasksQueryParams } from './list-tasks.query-schema';

/** Each sort's key expression; every one has an index (status, key, task_id) and a partial one. */
const SORT_KEYS = {
  nextDue: { expression: "coalesce(next_due_at, 'infinity'::timestamptz)", type: 'timestamptz' },
  name: { expression: 'name', type: 'text' },
  registered: { expression: 'registered_at', type: 'timestamptz' },
} as const;

interface Row {
  task_id: string;
  name: string;
  status: TaskStatus;
  schedule: Schedule;
  next_due_at: Date | null;
  last_outcome: string | null;
  last_execution_at: Date | null;
  revision: string;
  labels: Record<string, string> | null;
  sort_key: string;
}

type Cursor = { s: TaskSort; k: [string, string] };

/**
 * A page of the task list by keyset: filter (status, name search), order by the sort key then the id,
 * start after the cursor's row. Served by the tasks_* indexes, so the first page and the ten-thousandth
 * cost the same.
 */
@Injectable()
export class ListTasksQuery {
  constructor(@Inject(READ_MODEL_POOL) private readonly pool: Pool) {}

  async run(query: ListTasksQueryParams): Promise<TaskListPage> {
    const sort = query.sort ?? 'nextDue';
    const descending = sort.startsWith('-');
    const key = SORT_KEYS[(descending ? sort.slice(1) : sort) as keyof typeof SORT_KEYS];
    const direction = descending ? 'DESC' : 'ASC';

    const params = new SqlParams();
    const { param } = params;
    const where = [query.status ? `status = ${param(query.status)}` : `status <> 'deleted'`];
    if (query.q) where.push(`name ILIKE ${param(`%${escapeLike(query.q)}%`)}`);
    for (const labels of labelContainments(query.label ?? [])) {
      where.push(`definition->'labels' @> ${param(labels)}::jsonb`);
    }
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor, isTaskCursor);
      if (cursor.s !== sort) throw invalidCursor();
      where.push(
        `(${key.expression}, task_id) ${descending ? '<' : '>'} (${param(cursor.k[0])}::${key.type}, ${param(cursor.k[1])}::uuid)`,
      );
    }
    const sql = `SELECT task_id, name, status, definition->'schedule' AS schedule, next_due_at, last_outcome,
                        last_execution_at, revision, definition->'labels' AS labels,
                        (${key.expression})::text AS sort_key
                   FROM read_model.tasks
                  WHERE ${where.join(' AND ')}
                  ORDER BY ${key.expression} ${direction}, task_id ${direction}`;
    return readKeysetPage<Row, TaskListItem>(
      this.pool,
      query,
      { sql, params },
      {
        cursorAfter: (last) => ({ s: sort, k: [last.sort_key, last.task_id] }) satisfies Cursor,
        toItem: (row) => ({
          id: row.task_id,
          name: row.name,
          status: row.status,
          schedule: row.schedule,
          nextDueAt: row.next_due_at?.toISOString() ?? null,
          lastOutcome: row.last_outcome,
          lastExecutionAt: row.last_execution_at?.toISOString() ?? null,
          revision: Number(row.revision),
          labels: row.labels ?? {},
        }),
      },
    );
  }
}

function isTaskCursor(value: unknown): value is Cursor {
  const cursor = value as Partial<Cursor> | null;
  return (
    typeof cursor === 'object' &&
    cursor !== null &&
    typeof cursor.s === 'string' &&
    Array.isArray(cursor.k) &&
    cursor.k.length === 2 &&
    typeof cursor.k[0] === 'string' &&
    isUuid(cursor.k[1])
  );
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}
