import { ApiProperty } from '@nestjs/swagger';
import { EXECUTION_OUTCOMES } from '../../tasks/domain/task.events';

/** `running`: started, no outcome yet. */
export const OUTCOME_FILTERS = [...EXECUTION_OUTCOMES, 'running'] as const;
export type OutcomeFilter = (typeof OUTCOME_FILTERS)[number];

export class ExecutionView {
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty() occurrence!: number;
  @ApiProperty() attempt!: number;
  @ApiProperty({ nullable: true, type: String }) dueAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'when the task’s jitter planned the start (after dueAt); null when not jittered',
  })
  plannedAt!: string | null;
  @ApiProperty() startedAt!: string;
  @ApiProperty({ nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, enum: EXECUTION_OUTCOMES, description: 'null while running' })
  outcome!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'startedAt - (plannedAt ?? dueAt)' }) lagMs!:
    number | null;
  @ApiProperty({ nullable: true, type: Number }) durationMs!: number | null;
  @ApiProperty({ nullable: true, type: String }) workerId!: string | null;
  @ApiProperty({ nullable: true, type: String }) output!: string | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'why the attempt was scheduled (registered, next, retry, manual, resumed, updated, backfill); a backfill run has no lagMs: it is late by design',
  })
  reason!: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'how long it waited for a slot of its concurrency key before it started; null: no wait',
  })
  waitedMs!: number | null;
}

export class ExecutionPage {
  @ApiProperty({ type: [ExecutionView] }) items!: ExecutionView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
