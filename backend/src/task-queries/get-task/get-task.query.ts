import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { CalendarAtRevision, CalendarDefinition } from '../../calendars/domain/calendar-definition';
import { READ_MODEL_POOL } from '../../projections';
import { TASK_DEFINITION_FIELDS, type TaskDefinition } from '../../tasks/domain/task';
import type { ExistingTaskState } from '../../tasks/domain/task.state';
import { type TaskView, toTaskView } from '../../tasks/get-task/task-view';

/** One task from the read model, shown as the API's TaskView; null when there is no such task. */
@Injectable()
export class GetTaskQuery {
  constructor(@Inject(READ_MODEL_POOL) private readonly pool: Pool) {}

  async run(id: string): Promise<TaskView | null> {
    const { rows } = await this.pool.query<{ state: ExistingTaskState; revision: string }>(
      'SELECT state, revision FROM read_model.tasks WHERE task_id = $1',
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    const state = { ...row.state, definition: inFieldOrder(row.state.definition) };
    const calendars = await this.calendarsOf(state.definition.calendars);
    return toTaskView(id.toLowerCase(), state, Number(row.revision), calendars);
  }

  /** The task's live calendars from the read model, in the task's order (none: no query). */
  private async calendarsOf(ids: string[] | undefined): Promise<CalendarAtRevision[]> {
    if (!ids?.length) return [];
    const { rows } = await this.pool.query<{
      calendar_id: string;
      definition: CalendarDefinition;
      revision: string;
    }>(
      'SELECT calendar_id, definition, revision FROM read_model.calendars WHERE calendar_id = ANY($1::uuid[]) AND NOT deleted',
      [ids],
    );
    const byId = new Map(
      rows.map((r) => [
        r.calendar_id,
        { id: r.calendar_id, definition: r.definition, revision: Number(r.revision) },
      ]),
    );
    return ids.flatMap((calendarId) => byId.get(calendarId) ?? []);
  }
}

/** jsonb keeps keys in its own order; show the definition's fields in the order they are documented. */
export function inFieldOrder(definition: TaskDefinition): TaskDefinition {
  const ordered: Record<string, unknown> = {};
  for (const field of TASK_DEFINITION_FIELDS) {
    if (definition[field] !== undefined) ordered[field] = definition[field];
  }
  return ordered as unknown as TaskDefinition;
}
