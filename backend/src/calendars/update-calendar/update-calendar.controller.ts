import { Controller, Headers, Param, Patch, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import type { Response } from 'express';
import { ValidBody } from '../../api/valid-body';
import { CommandResponse } from '../../tasks/http/command-response';
import { parseIfMatch } from '../../tasks/http/if-match';
import { TaskIdPipe as IdPipe } from '../../tasks/http/task-id.pipe';
import { calendarCommandResponse } from '../http/calendar-response';
import { CalendarChanges } from '../http/calendar.schema';
import { UpdateCalendarCommand } from './update-calendar.command';

@ApiTags('calendars')
@Controller('api/calendars')
export class UpdateCalendarController {
  constructor(private readonly commands: CommandBus) {}

  @Patch(':id')
  @ApiOperation({
    summary: 'Change some fields of a calendar',
    description:
      'Takes effect for occurrences not yet fired. A stale If-Match answers 412 with the current revision.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the revision the client saw, e.g. "3"' })
  @ApiOkResponse({ type: CommandResponse })
  async update(
    @Param('id', IdPipe) id: string,
    @ValidBody(CalendarChanges) changes: Static<typeof CalendarChanges>,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const result = await this.commands.execute(new UpdateCalendarCommand(id, changes, parseIfMatch(ifMatch)));
    return calendarCommandResponse(result, response);
  }
}
