import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { ValidQuery } from '../../api/valid-query';
import { ReadYourWrites, readModelQueryFields } from '../../task-queries/read-your-writes';
import { CalendarList } from '../http/calendar.schema';
import { ListCalendarsQuery } from './list-calendars.query';

const ListCalendarsParams = Type.Object(readModelQueryFields, {
  title: 'ListCalendarsQuery',
  additionalProperties: false,
});

@ApiTags('calendars')
@Controller('api/calendars')
export class ListCalendarsController {
  constructor(
    private readonly readYourWrites: ReadYourWrites,
    private readonly calendars: ListCalendarsQuery,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every calendar (not deleted), by name' })
  @ApiOkResponse({ type: CalendarList })
  async list(
    @ValidQuery(ListCalendarsParams) query: Static<typeof ListCalendarsParams>,
  ): Promise<CalendarList> {
    await this.readYourWrites.reach(query.minPosition);
    return { items: await this.calendars.run() };
  }
}
