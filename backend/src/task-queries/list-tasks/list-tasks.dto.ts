import { ApiProperty } from '@nestjs/swagger';
import type { Schedule } from '../../tasks/domain/task';
import type { TaskStatus } from '../../tasks/domain/task.state';
import { ApiSchemaProperty } from '../../api/openapi-schemas';
import { Labels, Schedule as ScheduleSchema } from '../../tasks/http/task-definition.schema';
import { EXECUTION_OUTCOMES } from '../../tasks/domain/task.events';

export const TASK_STATUSES = ['active', 'paused', 'completed', 'deleted'] as const;
export const TASK_SORTS = ['nextDue', '-nextDue', 'name', '-name', 'registered', '-registered'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

export class TaskListItem {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: TASK_STATUSES }) status!: TaskStatus;
  @ApiSchemaProperty(ScheduleSchema) schedule!: Schedule;
  @ApiProperty({ nullable: true, type: String }) nextDueAt!: string | null;
  @ApiProperty({ nullable: true, type: String, enum: EXECUTION_OUTCOMES })
  lastOutcome!: string | null;
  @ApiProperty({ nullable: true, type: String }) lastExecutionAt!: string | null;
  @ApiProperty() revision!: number;
  @ApiSchemaProperty(Labels, { description: 'its labels; {} when it has none' }) labels!: Record<
    string,
    string
  >;
}

export class TaskListPage {
  @ApiProperty({ type: [TaskListItem] }) items!: TaskListItem[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'pass as ?cursor= for the next page; null at the end',
  })
  nextCursor!: string | null;
}
