import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { TaskIdPipe as IdPipe } from '../../tasks/http/task-id.pipe';
import { CalendarRepository } from '../calendar-repository';
import { CalendarDomainError } from '../domain/calendar.errors';
import { toCalendarView } from '../http/calendar-response';
import { CalendarView } from '../http/calendar.schema';

@ApiTags('calendars')
@Controller('api/calendars')
export class GetCalendarController {
  constructor(private readonly calendars: CalendarRepository) {}

  /** From the log, not the read model: an editor gets the exact revision to send back as If-Match. */
  @Get(':id')
  @ApiOperation({ summary: 'One calendar, as of its latest revision (ETag)' })
  @ApiOkResponse({ type: CalendarView })
  async get(@Param('id', IdPipe) id: string, @Res({ passthrough: true }) response: Response) {
    const view = toCalendarView(id, await this.calendars.load(id));
    if (!view) throw new CalendarDomainError('calendar_not_found', `Calendar ${id} does not exist`);
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}
