import { Controller, Delete, Headers, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CommandResponse } from '../../tasks/http/command-response';
import { parseIfMatch } from '../../tasks/http/if-match';
import { TaskIdPipe as IdPipe } from '../../tasks/http/task-id.pipe';
import { calendarCommandResponse } from '../http/calendar-response';
import { DeleteCalendarCommand } from './delete-calendar.command';

@ApiTags('calendars')
@Controller('api/calendars')
export class DeleteCalendarController {
  constructor(private readonly commands: CommandBus) {}

  @Delete(':id')
  @ApiOperation({
    summary: 'Delete a calendar; refused (409 calendar_in_use) while tasks name it',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'the revision the client saw' })
  @ApiOkResponse({ type: CommandResponse })
  async delete(
    @Param('id', IdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const result = await this.commands.execute(new DeleteCalendarCommand(id, parseIfMatch(ifMatch)));
    return calendarCommandResponse(result, response);
  }
}
