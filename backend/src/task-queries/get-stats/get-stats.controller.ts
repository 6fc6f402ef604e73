import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import { ValidQuery } from '../../api/valid-query';
import { ReadYourWrites } from '../read-your-writes';
import { StatsView } from './get-stats.dto';
import { DEFAULT_STATS_MINUTES, GetStatsQueryParams } from './get-stats.query-schema';
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
  async get(@ValidQuery(GetStatsQueryParams) query: Static<typeof GetStatsQueryParams>): Promise<StatsView> {
    await this.readYourWrites.reach(query.minPosition);
    return this.stats.run(query.minutes ?? DEFAULT_STATS_MINUTES);
  }
}
