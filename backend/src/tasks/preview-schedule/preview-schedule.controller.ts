import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Static } from '@sinclair/typebox';
import { ValidBody } from '../../api/valid-body';
import { nextRunsOutsideCalendars } from '../../calendars/domain/calendar-timeline';
import { KnownCalendars } from '../../calendars/http/known-calendars';
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
  constructor(
    private readonly clock: Clock,
    private readonly known: KnownCalendars,
  ) {}

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The next runs of a schedule, as a task registered now would have them',
    description: 'With `calendars`, instants they exclude are left out (within a bound of 10,000 instants).',
  })
  @ApiOkResponse({ type: SchedulePreview })
  async preview(@ValidBody(PreviewSchedule) body: Static<typeof PreviewSchedule>): Promise<SchedulePreview> {
    const after = body.after ? new Date(body.after) : this.clock.now();
    const count = body.count ?? 5;
    if (!body.calendars?.length) {
      return {
        occurrences: nextOccurrences(body.schedule, after, count, after).map((run) => run.toISOString()),
      };
    }
    // With calendars: their excluded instants left out, as the workers will skip them (ADR 018).
    const calendars = await this.known.requireLive(body.calendars);
    const runs = nextRunsOutsideCalendars(body.schedule, after, count, calendars, after);
    return { occurrences: runs.map((run) => run.toISOString()) };
  }
}
