import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CalendarCommandResult, CalendarRepository } from '../calendar-repository';
import { CalendarDomainError } from '../domain/calendar.errors';
import { DeleteCalendarCommand } from './delete-calendar.command';
import { TasksNamingCalendarQuery } from './tasks-naming-calendar.query';

/**
 * Refuses (409 calendar_in_use, with the count) while tasks name the calendar: deleting it would
 * silently let them fire on the days it excludes. Should a task name it anyway (a registration racing
 * the delete), the firing path treats a deleted calendar as excluding nothing.
 */
@CommandHandler(DeleteCalendarCommand)
export class DeleteCalendarHandler implements ICommandHandler<DeleteCalendarCommand> {
  constructor(
    private readonly calendars: CalendarRepository,
    private readonly users: TasksNamingCalendarQuery,
  ) {}

  async execute({ calendarId, ifMatch }: DeleteCalendarCommand): Promise<CalendarCommandResult> {
    const tasks = await this.users.count(calendarId);
    if (tasks > 0) {
      throw new CalendarDomainError(
        'calendar_in_use',
        `calendar ${calendarId} is named by ${tasks} task${tasks === 1 ? '' : 's'}; remove it from them first`,
      );
    }
    return this.calendars.execute({ type: 'DeleteCalendar', data: { calendarId } }, { ifMatch });
  }
}
