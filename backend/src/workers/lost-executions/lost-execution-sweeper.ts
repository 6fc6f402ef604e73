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
  worker_gone: boolean;
}

/** An execution this young may belong to a worker that joined after the member list was read. */
const GONE_AFTER_MS = 2000;

/**
 * Closes executions whose worker died as `lost`, in the buckets this worker owns; the decider then
 * schedules a retry when the policy allows. This is what makes execution at-least-once. An execution
 * is lost once its timeout plus grace has passed, or at once when the worker that started it is no
 * longer a live member (SIGKILLed, crashed, restarted under a new id): its buckets' new owner sweeps
 * them as soon as it takes them, so a killed worker's calls go out again within seconds, not minutes.
 */
export class LostExecutionSweeper {
  private readonly logger = new Logger('lost-executions');

  constructor(
    private readonly pool: Pool,
    private readonly commands: TaskCommandBatcher,
    private readonly offer: (due: DueOccurrence[]) => void,
    /** Gives back the concurrency slot of an execution closed as lost (ADR 019). */
    private readonly releaseSlot?: (taskId: string, occurrence: number, attempt: number) => Promise<void>,
  ) {}

  /** `liveWorkers`: the ids of every live worker, when known (executions of others are lost). */
  async sweep(buckets: number[], liveWorkers?: string[]): Promise<number> {
    if (buckets.length === 0) return 0;
    const { rows } = await this.pool.query<OverdueRow>(
      `SELECT e.task_id, e.bucket, e.occurrence, e.attempt,
              ($3::text[] IS NOT NULL AND NOT e.worker_id = ANY($3::text[])) AS worker_gone
         FROM read_model.executions e JOIN read_model.tasks t ON t.task_id = e.task_id
        WHERE e.finished_at IS NULL AND e.bucket = ANY($1::int[])
          AND (e.started_at + make_interval(secs => ((t.definition->>'timeoutMs')::bigint + $2) / 1000.0) < now()
               OR ($3::text[] IS NOT NULL AND NOT e.worker_id = ANY($3::text[])
                   AND e.started_at < now() - make_interval(secs => $4 / 1000.0)))
        LIMIT 1000`,
      [buckets, LOST_GRACE_MS, liveWorkers ?? null, GONE_AFTER_MS],
    );
    let closed = 0;
    await Promise.all(
      rows.map(async (row) => {
        const outcome = await this.commands.submit({
          type: 'CloseLostExecution',
          data: {
            taskId: row.task_id,
            occurrence: row.occurrence,
            attempt: row.attempt,
            ...(row.worker_gone ? { workerGone: true } : {}),
          },
        });
        if (!outcome.ok) return;
        closed++;
        const { state } = outcome.snapshot;
        if (state.status !== 'none' && state.definition.concurrency)
          await this.releaseSlot?.(row.task_id, row.occurrence, row.attempt);
        this.logger.warn(`closed ${row.task_id}#${row.occurrence}.${row.attempt} as lost`);
        this.offer(scheduledIn(row.task_id, row.bucket, outcome.events, outcome.snapshot));
      }),
    );
    return closed;
  }
}
