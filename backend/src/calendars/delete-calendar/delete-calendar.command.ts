import { Command } from '@nestjs/cqrs';
import type { CalendarCommandResult } from '../calendar-repository';

/** Delete a calendar that no task names any more. */
export class DeleteCalendarCommand extends Command<CalendarCommandResult> {
  constructor(
    readonly calendarId: string,
    readonly ifMatch?: number,
  ) {
    super();
  }
}
