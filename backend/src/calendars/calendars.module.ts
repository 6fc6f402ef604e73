import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ProjectionsModule } from '../projections';
import { ReadYourWrites } from '../task-queries/read-your-writes';
import { RandomIdGenerator, SystemClock } from '../tasks/clock';
import { CALENDAR_CLOCK, CALENDAR_IDS } from './calendar-repository';
import { CalendarRepository } from './calendar-repository';
import { KnownCalendars } from './http/known-calendars';
import { CreateCalendarController } from './create-calendar/create-calendar.controller';
import { CreateCalendarHandler } from './create-calendar/create-calendar.handler';
import { DeleteCalendarController } from './delete-calendar/delete-calendar.controller';
import { DeleteCalendarHandler } from './delete-calendar/delete-calendar.handler';
import { TasksNamingCalendarQuery } from './delete-calendar/tasks-naming-calendar.query';
import { GetCalendarController } from './get-calendar/get-calendar.controller';
import { ListCalendarsController } from './list-calendars/list-calendars.controller';
import { ListCalendarsQuery } from './list-calendars/list-calendars.query';
import { UpdateCalendarController } from './update-calendar/update-calendar.controller';
import { UpdateCalendarHandler } from './update-calendar/update-calendar.handler';

/** Calendars (issue 17, item 1): a slice per command and query, their own streams (ADR 018). */
@Module({
  imports: [CqrsModule, ProjectionsModule],
  controllers: [
    ListCalendarsController,
    CreateCalendarController,
    GetCalendarController,
    UpdateCalendarController,
    DeleteCalendarController,
  ],
  providers: [
    // Their own tokens: the task module's Clock and IdGenerator stay the only ones (tests replace them).
    { provide: CALENDAR_CLOCK, useClass: SystemClock },
    { provide: CALENDAR_IDS, useClass: RandomIdGenerator },
    CalendarRepository,
    KnownCalendars,
    ReadYourWrites,
    ListCalendarsQuery,
    TasksNamingCalendarQuery,
    CreateCalendarHandler,
    UpdateCalendarHandler,
    DeleteCalendarHandler,
  ],
  exports: [CalendarRepository, KnownCalendars],
})
export class CalendarsModule {}
