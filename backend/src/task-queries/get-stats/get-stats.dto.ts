import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ReadModelQueryDto } from '../read-your-writes';

export const MAX_STATS_MINUTES = 1440;

export class GetStatsQueryDto extends ReadModelQueryDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_STATS_MINUTES,
    default: 60,
    description: 'minutes up to now',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_STATS_MINUTES)
  minutes?: number;
}

export class OutcomeCounts {
  @ApiProperty() succeeded!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() timed_out!: number;
  @ApiProperty() lost!: number;
  @ApiProperty() total!: number;
}

/** Firing lag (startedAt - dueAt) in ms; percentiles estimated from a fixed histogram. */
export class LagSummary {
  @ApiProperty({ nullable: true, type: Number }) p50!: number | null;
  @ApiProperty({ nullable: true, type: Number }) p95!: number | null;
  @ApiProperty({ nullable: true, type: Number }) p99!: number | null;
  @ApiProperty({ nullable: true, type: Number }) max!: number | null;
  @ApiProperty({ nullable: true, type: Number }) avg!: number | null;
}

export class MinuteStats {
  @ApiProperty({ description: 'start of the minute (finished executions are counted by finishedAt)' })
  minute!: string;
  @ApiProperty() executions!: OutcomeCounts;
  @ApiProperty() lagMs!: LagSummary;
}

export class TaskCounts {
  @ApiProperty() active!: number;
  @ApiProperty() paused!: number;
  @ApiProperty() completed!: number;
  @ApiProperty() deleted!: number;
  @ApiProperty() total!: number;
}

export class StatsView {
  @ApiProperty({ description: 'the log position the statistics reflect' }) position!: number;
  @ApiProperty() tasks!: TaskCounts;
  @ApiProperty({ description: 'executions started and not finished' }) running!: number;
  @ApiProperty({ type: [MinuteStats], description: 'oldest first, one per minute, the current one last' })
  minutes!: MinuteStats[];
  @ApiProperty() totals!: MinuteStats;
}
