import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CalendarCommandResult, CalendarRepository } from '../calendar-repository';
import { CreateCalendarCommand } from './create-calendar.command';

@CommandHandler(CreateCalendarCommand)
export class CreateCalendarHandler implements ICommandHandler<CreateCalendarCommand> {
  constructor(private readonly calendars: CalendarRepository) {}

  execute({ calendarId, definition }: CreateCalendarCommand): Promise<CalendarCommandResult> {
    const command = { type: 'CreateCalendar', data: { calendarId, definition } } as const;
    return this.calendars.execute(command, { assumeNew: true });
  }
}
