import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { Schedule } from '../../tasks/domain/task';
import type { TaskStatus } from '../../tasks/domain/task.state';
import { PageQueryDto } from '../page-query.dto';
import { ApiSchemaProperty } from '../../api/openapi-schemas';
import { Schedule as ScheduleSchema } from '../../tasks/http/task-definition.schema';
import { EXECUTION_OUTCOMES } from '../../tasks/domain/task.events';

export const TASK_STATUSES = ['active', 'paused', 'completed', 'deleted'] as const;
export const TASK_SORTS = ['nextDue', '-nextDue', 'name', '-name', 'registered', '-registered'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../page-query.dto';

export class ListTasksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: TASK_STATUSES,
    description: 'only this status; by default every task but deleted ones',
  })
  @IsOptional()
  @IsIn(TASK_STATUSES, { message: `must be one of ${TASK_STATUSES.join(', ')}` })
  status?: TaskStatus;

  @ApiPropertyOptional({ description: 'tasks whose name contains this text (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: TASK_SORTS, default: 'nextDue', description: '`-` sorts descending' })
  @IsOptional()
  @IsIn(TASK_SORTS, { message: `must be one of ${TASK_SORTS.join(', ')}` })
  sort?: TaskSort;
}

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
