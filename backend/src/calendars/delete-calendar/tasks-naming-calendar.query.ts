import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { READ_MODEL_POOL } from '../../projections';

/** How many tasks (not deleted) name a calendar, from the read model. */
@Injectable()
export class TasksNamingCalendarQuery {
  constructor(@Inject(READ_MODEL_POOL) private readonly pool: Pool) {}

  async count(calendarId: string): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>(
      `SELECT count(*) AS count FROM read_model.tasks
       WHERE status <> 'deleted' AND definition -> 'calendars' ? $1`,
      [calendarId],
    );
    return Number(rows[0].count);
  }
}
