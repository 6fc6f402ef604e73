import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadYourWrites } from '../read-your-writes';
import { GetStatsQueryDto, StatsView } from './get-stats.dto';
import { GetStatsQuery } from './get-stats.query';

@ApiTags('stats')
@Controller('api/stats')
export class GetStatsController {
  constructor(
    private readonly readYourWrites: ReadYourWrites,
    private readonly stats: GetStatsQuery,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Tasks by status, running executions, executions and lag percentiles per minute' })
  @ApiOkResponse({ type: StatsView })
  async get(@Query() query: GetStatsQueryDto): Promise<StatsView> {
    await this.readYourWrites.reach(query.minPosition);
    return this.stats.run(query.minutes ?? 60);
  }
}
