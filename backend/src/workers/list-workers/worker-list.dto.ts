import { ApiProperty } from '@nestjs/swagger';
import type { WorkerInfo } from '../ownership/bucket-ownership';

/** One live worker, as its lease record (or this process's own worker) describes it. */
export class WorkerView implements WorkerInfo {
  @ApiProperty() workerId!: string;
  @ApiProperty() host!: string;
  @ApiProperty() pid!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time', description: 'its last heartbeat' }) lastSeenAt!: string;
  @ApiProperty({ type: [Number], description: 'the buckets whose occurrences it fires' }) buckets!: number[];
}

export class WorkerList {
  @ApiProperty({ type: [WorkerView] }) items!: WorkerView[];
}
