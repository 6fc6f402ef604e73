import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  type CronScheduleDto,
  type IntervalScheduleDto,
  type OnceScheduleDto,
  ScheduleProperty,
} from '../http/task-definition.dto';
import { IsInstant } from '../http/schedule-validators';

export const MAX_PREVIEW_COUNT = 50;

/** A schedule to preview, validated as a task's own schedule is. */
export class PreviewScheduleDto {
  @ScheduleProperty()
  schedule!: OnceScheduleDto | CronScheduleDto | IntervalScheduleDto;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PREVIEW_COUNT, default: 5 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PREVIEW_COUNT)
  count?: number;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'the instant the task would be registered at (default: now); runs come after it',
  })
  @IsOptional()
  @IsInstant()
  after?: string;
}

export class SchedulePreview {
  @ApiProperty({ type: [String], description: 'the next due instants, ISO 8601, oldest first' })
  occurrences!: string[];
}
