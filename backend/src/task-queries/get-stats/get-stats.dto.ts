import { ApiProperty } from '@nestjs/swagger';

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
