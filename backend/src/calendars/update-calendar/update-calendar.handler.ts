import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CalendarCommandResult, CalendarRepository } from '../calendar-repository';
import { UpdateCalendarCommand } from './update-calendar.command';

@CommandHandler(UpdateCalendarCommand)
export class UpdateCalendarHandler implements ICommandHandler<UpdateCalendarCommand> {
  constructor(private readonly calendars: CalendarRepository) {}

  execute({ calendarId, changes, ifMatch }: UpdateCalendarCommand): Promise<CalendarCommandResult> {
    return this.calendars.execute({ type: 'UpdateCalendar', data: { calendarId, changes } }, { ifMatch });
  }
}
