import { Command } from '@nestjs/cqrs';
import type { CalendarCommandResult } from '../calendar-repository';
import type { CalendarDefinition } from '../domain/calendar-definition';

/** Create a calendar under a new id. */
export class CreateCalendarCommand extends Command<CalendarCommandResult> {
  constructor(
    readonly calendarId: string,
    readonly definition: CalendarDefinition,
  ) {
    super();
  }
}
