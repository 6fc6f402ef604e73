import { Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { LOST_GRACE_MS } from '../../tasks/domain/task.decider';
import type { TaskCommandBatcher } from '../firing/task-command-batcher';
import { scheduledIn } from '../firing/occurrence-firer';
import type { DueOccurrence } from '../timers/due-occurrence';

interface OverdueRow {
  task_id: string;
  bucket: number;
  occurrence: number;
  attempt: number;
}

/**
 * Closes executions whose worker died (started, no outcome after timeout + grace) as `lost`, in the
 * buckets this worker owns; the decider then schedules a retry when the policy allows. This is what
 * makes execution at-least-once.
 */
export class LostExecutionSweeper {
  private readonly logger = new Logger('lost-executions');

  constructor(
    private readonly pool: Pool,
    private readonly commands: TaskCommandBatcher,
    private readonly offer: (due: DueOccurrence[]) => void,
  ) {}

  async sweep(buckets: number[]): Promise<number> {
    if (buckets.length === 0) return 0;
    const { rows } = await this.pool.query<OverdueRow>(
      `SELECT e.task_id, e.bucket, e.occurrence, e.attempt
         FROM read_model.executions e JOIN read_model.tasks t ON t.task_id = e.task_id
        WHERE e.finished_at IS NULL AND e.bucket = ANY($1::int[])
          AND e.started_at + make_interval(secs => ((t.definition->>'timeoutMs')::bigint + $2) / 1000.0) < now()
        LIMIT 1000`,
      [buckets, LOST_GRACE_MS],
    );
    let closed = 0;
    await Promise.all(
      rows.map(async (row) => {
        const outcome = await this.commands.submit({
          type: 'CloseLostExecution',
          data: { taskId: row.task_id, occurrence: row.occurrence, attempt: row.attempt },
        });
        if (!outcome.ok) return;
        closed++;
        this.logger.warn(`closed ${row.task_id}#${row.occurrence}.${row.attempt} as lost`);
        this.offer(scheduledIn(row.task_id, row.bucket, outcome.events, outcome.snapshot));
      }),
    );
    return closed;
  }
}
