import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import { ValidBody } from '../../api/valid-body';
import { Clock } from '../clock';
import { nextOccurrences } from '../domain/occurrences';
import { PreviewSchedule, SchedulePreview } from './preview-schedule.schema';

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
  preview(@ValidBody(PreviewSchedule) body: Static<typeof PreviewSchedule>): SchedulePreview {
    const after = body.after ? new Date(body.after) : this.clock.now();
    const runs = nextOccurrences(body.schedule, after, body.count ?? 5, after);
    return { occurrences: runs.map((run) => run.toISOString()) };
  }
}
