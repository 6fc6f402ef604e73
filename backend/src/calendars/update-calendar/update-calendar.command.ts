import { Command } from '@nestjs/cqrs';
import type { CalendarCommandResult } from '../calendar-repository';
import type { CalendarDefinition } from '../domain/calendar-definition';

/** Change some fields of a calendar; a stale `ifMatch` is refused with the current revision. */
export class UpdateCalendarCommand extends Command<CalendarCommandResult> {
  constructor(
    readonly calendarId: string,
    readonly changes: Partial<CalendarDefinition>,
    readonly ifMatch?: number,
  ) {
    super();
  }
}
