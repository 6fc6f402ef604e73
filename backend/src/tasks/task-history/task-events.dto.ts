import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional } from 'class-validator';
import { TASK_EVENT_TYPES, type TaskEventType } from '../domain/task.events';
import { PageQueryDto } from '../../task-queries/page-query.dto';

export const EVENT_ORDERS = ['desc', 'asc'] as const;
export type EventOrder = (typeof EVENT_ORDERS)[number];

/** `type=A,B`, `type=A&type=B` or both: one list. */
function typeList({ value }: { value: unknown }): unknown {
  const parts: unknown[] = Array.isArray(value) ? value : [value];
  return parts.flatMap((part) => (typeof part === 'string' ? part.split(',').map((t) => t.trim()) : [part]));
}

export class TaskEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: EVENT_ORDERS, default: 'desc', description: 'desc: newest first' })
  @IsOptional()
  @IsIn(EVENT_ORDERS, { message: 'must be asc or desc' })
  order?: EventOrder;

  @ApiPropertyOptional({
    type: [String],
    enum: TASK_EVENT_TYPES,
    description: 'only these event types, comma-separated or repeated',
  })
  @IsOptional()
  @Transform(typeList)
  @ArrayMaxSize(TASK_EVENT_TYPES.length, { message: 'names too many types' })
  @IsIn(TASK_EVENT_TYPES, {
    each: true,
    message: ({ value }) =>
      `has unknown event types (${[value]
        .flat()
        .filter((t: unknown) => !TASK_EVENT_TYPES.includes(t as TaskEventType))
        .map(String)
        .join(', ')}); known: ${TASK_EVENT_TYPES.join(', ')}`,
  })
  type?: TaskEventType[];
}

export class TaskEventView {
  @ApiProperty({ enum: TASK_EVENT_TYPES }) type!: string;
  @ApiProperty({ description: "the event's index in the task's stream, from 0" }) revision!: number;
  @ApiProperty({ description: 'its place in the global log' }) position!: number;
  @ApiProperty() recordedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'secret headers masked' })
  data!: unknown;
}

/** Where a stream cut by retention (KAIROS_HISTORY_RETENTION, ADR 012) starts. */
export class HistoryStart {
  @ApiProperty({ description: 'the first revision kept; the events before it were removed' })
  revision!: number;
  @ApiProperty({ description: 'when retention removed them' }) truncatedAt!: string;
}

export class TaskEventPage {
  @ApiProperty({ type: [TaskEventView] }) items!: TaskEventView[];
  @ApiProperty({ nullable: true, type: String, description: 'null on the last page' })
  nextCursor!: string | null;
  @ApiProperty({
    type: HistoryStart,
    nullable: true,
    description: 'null while the whole history is kept; else where the kept history starts',
  })
  historyStartsAt!: HistoryStart | null;
}
