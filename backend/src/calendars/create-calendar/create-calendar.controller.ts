import { Controller, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import type { Response } from 'express';
import { ValidBody } from '../../api/valid-body';
import type { IdGenerator } from '../../tasks/clock';
import { CALENDAR_IDS } from '../calendar-repository';
import { CommandResponse } from '../../tasks/http/command-response';
import { calendarCommandResponse } from '../http/calendar-response';
import { CalendarDefinition } from '../http/calendar.schema';
import { CreateCalendarCommand } from './create-calendar.command';

@ApiTags('calendars')
@Controller('api/calendars')
export class CreateCalendarController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CALENDAR_IDS) private readonly ids: IdGenerator,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create a calendar: periods in which the tasks that name it do not fire',
    description:
      'Exclusions are whole dates, [from, to) ranges, or cron expressions read in the calendar zone.',
  })
  @ApiCreatedResponse({ type: CommandResponse })
  async create(
    @ValidBody(CalendarDefinition) definition: Static<typeof CalendarDefinition>,
    @Res({ passthrough: true }) response: Response,
  ) {
    const result = await this.commands.execute(new CreateCalendarCommand(this.ids.newId(), definition));
    response.status(201).location(`/api/calendars/${result.id}`);
    return calendarCommandResponse(result, response);
  }
}
