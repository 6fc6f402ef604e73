import { ApiProperty } from '@nestjs/swagger';
import { Type } from '@sinclair/typebox';
import { MAX_PREVIEW_COUNT } from '../../../../contracts/limits';
import { Calendars, Instant, Schedule } from '../http/task-definition.schema';

/** A schedule to preview, checked as a task's own schedule is. */
export const PreviewSchedule = Type.Object(
  {
    schedule: Schedule,
    calendars: Type.Optional(Calendars),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PREVIEW_COUNT, default: 5 })),
    after: Type.Optional(
      Instant({
        description: 'the instant the task would be registered at (default: now); runs come after it',
      }),
    ),
  },
  { title: 'PreviewSchedule', additionalProperties: false },
);

export class SchedulePreview {
  @ApiProperty({ type: [String], description: 'the next due instants, ISO 8601, oldest first' })
  occurrences!: string[];
}
