import { Logger } from '@nestjs/common';
import type { ConcurrencyLimit } from '../../tasks/domain/task';
import type { TaskEvent } from '../../tasks/domain/task.events';
import type { ExistingTaskState } from '../../tasks/domain/task.state';
import { fireLag, skippedOccurrences } from '../../metrics/metrics';
import type { Executor } from '../execution/executor';
import type { ConcurrencyGate, HeldSlot } from '../concurrency/concurrency-gate';
import type { SlotClaim } from '../concurrency/concurrency-slots';
import type { DueOccurrence, Firer } from '../timers/due-occurrence';
import type { TaskCommandBatcher } from './task-command-batcher';
import type { TaskSnapshot, TaskSnapshots } from './task-snapshots';

/**
 * Fires due occurrences: each becomes a FireOccurrence command decided on the state it was loaded with
 * and appended with that state's revision (see TaskCommandBatcher). What started goes to the executor;
 * the next occurrences it scheduled go back to the timer.
 */
export class OccurrenceFirer implements Firer {
  private readonly logger = new Logger('firing');

  constructor(
    private readonly commands: TaskCommandBatcher,
    private readonly snapshots: TaskSnapshots,
    private readonly executor: Executor,
    private readonly workerId: string,
    /** Absent: no concurrency limits here (tests of firing alone). */
    private readonly limits?: FiringLimits,
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

  private async fireOne(item: DueOccurrence, slot?: HeldSlot, refreshed = false): Promise<DueOccurrence[]> {
    // A task with a concurrency limit starts only holding a slot of its key (ADR 019); others pay nothing.
    const limit = this.limits && !slot ? concurrencyOf(item.snapshot) : undefined;
    if (limit) {
      slot = await this.limits!.gate.enter(
        claimOf(item, limit),
        (later) => this.fireHolding(item, later),
        (since) => this.recordWaiting(item, limit.key, since),
      );
      if (!slot) return []; // waits its turn (fired when granted), or another worker holds it
    }
    this.executor.recordNow(item.taskId); // the run before goes on record first (see Executor.recordNow)
    let outcome;
    try {
      outcome = await this.commands.submit(
        {
          type: 'FireOccurrence',
          data: {
            taskId: item.taskId,
            occurrence: item.occurrence,
            attempt: item.attempt,
            workerId: this.workerId,
            ...(slot && { concurrencyKey: slot.key }),
            ...(slot?.waitingSince && { waitingSince: slot.waitingSince }),
          },
        },
        { snapshot: item.snapshot, urgent: true },
      );
    } catch (error) {
      if (slot) this.release(item);
      throw error;
    }
    if (!outcome.ok) {
      if (slot) this.release(item);
      // The task has a limit this worker did not know of (edited since, or no state was at hand).
      if (outcome.error.code === 'concurrency_slot_required' && this.limits && !refreshed)
        return this.fireOne(
          { ...item, snapshot: await this.snapshots.refresh(item.taskId) },
          undefined,
          true,
        );
      return []; // fired elsewhere, paused, deleted or edited away: nothing to do
    }
    if (slot && !outcome.events.some((event) => event.type === 'TaskExecutionStarted')) this.release(item);
    for (const event of outcome.events) {
      if (event.type === 'TaskExecutionStarted') {
        const state = outcome.snapshot.state as ExistingTaskState;
        fireLag.observe((Date.parse(event.data.startedAt) - Date.parse(event.data.dueAt)) / 1000);
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

  /** Fires an occurrence that waited, once it holds its slot; the next occurrences go to the timers. */
  private fireHolding(item: DueOccurrence, slot: HeldSlot): void {
    this.fireOne(item, slot).then(
      (next) => this.limits?.offer(next),
      (error: Error) => this.logger.warn(`firing ${item.taskId}#${item.occurrence} failed: ${error.message}`),
    );
  }

  /** The wait goes on record in the task's history (TaskOccurrenceWaiting), in the background. */
  private recordWaiting(item: DueOccurrence, key: string, since: Date): void {
    const { taskId, occurrence, attempt } = item;
    this.commands
      .submit({
        type: 'RecordOccurrenceWaiting',
        data: { taskId, occurrence, attempt, concurrencyKey: key, waitingSince: since.toISOString() },
      })
      .catch((error: Error) =>
        this.logger.warn(`recording the wait of ${taskId}#${occurrence} failed: ${error.message}`),
      );
  }

  private release(item: DueOccurrence): void {
    this.limits?.release(item.taskId, item.occurrence, item.attempt);
  }
}

/** What firing needs for concurrency limits: the gate, a release, and where waited firings' next go. */
export interface FiringLimits {
  gate: ConcurrencyGate;
  release(taskId: string, occurrence: number, attempt: number): void;
  offer(due: DueOccurrence[]): void;
}

function concurrencyOf(snapshot: TaskSnapshot | undefined): ConcurrencyLimit | undefined {
  return snapshot && snapshot.state.status !== 'none' ? snapshot.state.definition.concurrency : undefined;
}

function claimOf(item: DueOccurrence, limit: ConcurrencyLimit): SlotClaim {
  return {
    key: limit.key,
    limit: limit.limit,
    taskId: item.taskId,
    occurrence: item.occurrence,
    attempt: item.attempt,
    dueAt: new Date(item.dueAt),
  };
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
            dueAt: Date.parse(event.data.dueAt),
            revision: snapshot.revision,
            snapshot,
          },
        ]
      : [],
  );
}
