import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Clock } from '../clock';
import { nextOccurrences } from '../domain/occurrences';
import { toDefinitionInput } from '../http/to-definition-input';
import { PreviewScheduleDto, SchedulePreview } from './preview-schedule.dto';

/**
 * The next runs of a schedule, as the scheduler computes them (time zones, daylight saving, start and
 * end), before any task has it: the task form's preview, and the same for API clients.
 */
@ApiTags('schedules')
@Controller('api/schedules')
export class PreviewScheduleController {
  constructor(private readonly clock: Clock) {}

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'The next runs of a schedule, as a task registered now would have them' })
  @ApiOkResponse({ type: SchedulePreview })
  preview(@Body() body: PreviewScheduleDto): SchedulePreview {
    const after = body.after ? new Date(body.after) : this.clock.now();
    const { schedule } = toDefinitionInput({ schedule: body.schedule });
    const runs = nextOccurrences(schedule!, after, body.count ?? 5, after);
    return { occurrences: runs.map((run) => run.toISOString()) };
  }
}
