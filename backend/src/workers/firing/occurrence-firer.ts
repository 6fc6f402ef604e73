import type { TaskEvent } from '../../tasks/domain/task.events';
import type { ExistingTaskState } from '../../tasks/domain/task.state';
import { fireLag, skippedOccurrences } from '../../metrics/metrics';
import type { Executor } from '../execution/executor';
import type { DueOccurrence, Firer } from '../timers/due-occurrence';
import type { TaskCommandBatcher } from './task-command-batcher';
import type { TaskSnapshot, TaskSnapshots } from './task-snapshots';

/**
 * Fires due occurrences: each becomes a FireOccurrence command decided on the state it was loaded with
 * and appended with that state's revision (see TaskCommandBatcher). What started goes to the executor;
 * the next occurrences it scheduled go back to the timer.
 */
export class OccurrenceFirer implements Firer {
  constructor(
    private readonly commands: TaskCommandBatcher,
    private readonly snapshots: TaskSnapshots,
    private readonly executor: Executor,
    private readonly workerId: string,
  ) {}

  async prepare(due: DueOccurrence[]): Promise<void> {
    const missing = due.filter((item) => !item.snapshot);
    const loaded = await this.snapshots.loadMany(missing.map((item) => item.taskId));
    for (const item of missing) {
      item.snapshot = loaded.get(item.taskId);
      item.prepared = true;
    }
  }

  async fire(due: DueOccurrence[]): Promise<DueOccurrence[]> {
    // States not already at hand come in one query for the whole batch.
    await this.prepare(due.filter((item) => !item.prepared));
    const next = await Promise.all(due.map((item) => this.fireOne(item)));
    return next.flat();
  }

  private async fireOne(item: DueOccurrence): Promise<DueOccurrence[]> {
    this.executor.recordNow(item.taskId); // the run before goes on record first (see Executor.recordNow)
    const outcome = await this.commands.submit(
      {
        type: 'FireOccurrence',
        data: {
          taskId: item.taskId,
          occurrence: item.occurrence,
          attempt: item.attempt,
          workerId: this.workerId,
        },
      },
      { snapshot: item.snapshot, urgent: true },
    );
    if (!outcome.ok) return []; // fired elsewhere, paused, deleted or edited away: nothing to do
    for (const event of outcome.events) {
      if (event.type === 'TaskExecutionStarted') {
        const state = outcome.snapshot.state as ExistingTaskState;
        const { startedAt, plannedAt, dueAt, reason } = event.data;
        // Lag counts from a jittered plan (ADR 016); a backfill run is late by design (ADR 017).
        if (reason !== 'backfill')
          fireLag.observe((Date.parse(startedAt) - Date.parse(plannedAt ?? dueAt)) / 1000);
        this.executor.start({
          ...event.data,
          taskId: item.taskId,
          definition: state.definition,
          snapshot: outcome.snapshot,
        });
      } else if (event.type === 'TaskOccurrenceSkipped') {
        skippedOccurrences.inc({ reason: event.data.reason });
      }
    }
    return scheduledIn(item.taskId, item.bucket, outcome.events, outcome.snapshot);
  }
}

/** The occurrences a command's events scheduled, as timer entries carrying the new state. */
export function scheduledIn(
  taskId: string,
  bucket: number,
  events: TaskEvent[],
  snapshot: TaskSnapshot,
): DueOccurrence[] {
  return events.flatMap((event) =>
    event.type === 'TaskScheduled'
      ? [
          {
            taskId,
            bucket,
            occurrence: event.data.occurrence,
            attempt: event.data.attempt,
            dueAt: Date.parse(event.data.plannedAt ?? event.data.dueAt), // the timer waits for the plan
            revision: snapshot.revision,
            snapshot,
          },
        ]
      : [],
  );
}
