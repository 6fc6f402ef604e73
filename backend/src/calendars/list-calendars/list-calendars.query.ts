import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { READ_MODEL_POOL } from '../../projections';
import type { CalendarDefinition } from '../domain/calendar-definition';
import type { CalendarView } from '../http/calendar.schema';

/** Every calendar not deleted, by name, from the read model. */
@Injectable()
export class ListCalendarsQuery {
  constructor(@Inject(READ_MODEL_POOL) private readonly pool: Pool) {}

  async run(): Promise<CalendarView[]> {
    const { rows } = await this.pool.query<{
      calendar_id: string;
      definition: CalendarDefinition;
      revision: string;
      created_at: Date;
      updated_at: Date;
    }>(
      `SELECT calendar_id, definition, revision, created_at, updated_at FROM read_model.calendars
       WHERE NOT deleted ORDER BY name, calendar_id`,
    );
    return rows.map((row) => ({
      id: row.calendar_id,
      name: row.definition.name,
      timezone: row.definition.timezone,
      exclude: row.definition.exclude,
      revision: Number(row.revision),
      status: 'active',
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    }));
  }
}
