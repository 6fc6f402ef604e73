import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../page-query.dto';
import { EXECUTION_OUTCOMES } from '../../tasks/domain/task.events';

/** `running`: started, no outcome yet. */
export const OUTCOME_FILTERS = [...EXECUTION_OUTCOMES, 'running'] as const;
export type OutcomeFilter = (typeof OUTCOME_FILTERS)[number];

export class ListExecutionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: OUTCOME_FILTERS })
  @IsOptional()
  @IsIn(OUTCOME_FILTERS, { message: `must be one of ${OUTCOME_FILTERS.join(', ')}` })
  outcome?: OutcomeFilter;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  taskId?: string;

  @ApiPropertyOptional({ description: 'only executions started at or after this instant (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 instant' })
  since?: string;
}

/** GET /api/tasks/{id}/executions: the same filters but the task, which is in the path. */
export class TaskExecutionsQueryDto extends OmitType(ListExecutionsQueryDto, ['taskId'] as const) {}

export class ExecutionView {
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty() occurrence!: number;
  @ApiProperty() attempt!: number;
  @ApiProperty({ nullable: true, type: String }) dueAt!: string | null;
  @ApiProperty() startedAt!: string;
  @ApiProperty({ nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, enum: EXECUTION_OUTCOMES, description: 'null while running' })
  outcome!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'startedAt - dueAt' }) lagMs!: number | null;
  @ApiProperty({ nullable: true, type: Number }) durationMs!: number | null;
  @ApiProperty({ nullable: true, type: String }) workerId!: string | null;
  @ApiProperty({ nullable: true, type: String }) output!: string | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
}

export class ExecutionPage {
  @ApiProperty({ type: [ExecutionView] }) items!: ExecutionView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
