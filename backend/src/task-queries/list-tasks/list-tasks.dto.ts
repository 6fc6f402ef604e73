import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import type { Schedule } from '../../tasks/domain/task';
import type { TaskStatus } from '../../tasks/domain/task.state';
import { ReadModelQueryDto } from '../read-your-writes';

export const TASK_STATUSES = ['active', 'paused', 'completed', 'deleted'] as const;
export const TASK_SORTS = ['nextDue', '-nextDue', 'name', '-name', 'registered', '-registered'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

export class ListTasksQueryDto extends ReadModelQueryDto {
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

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;
}

export class TaskListItem {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: TASK_STATUSES }) status!: TaskStatus;
  @ApiProperty() schedule!: Schedule;
  @ApiProperty({ nullable: true, type: String }) nextDueAt!: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['succeeded', 'failed', 'timed_out', 'lost'] })
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
