import { ApiProperty } from '@nestjs/swagger';
import { TASK_EVENT_TYPES } from '../domain/task.events';

export const EVENT_ORDERS = ['desc', 'asc'] as const;
export type EventOrder = (typeof EVENT_ORDERS)[number];

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
