import { Logger } from '@nestjs/common';
import type { ConcurrencyLimit } from '../../tasks/domain/task';
import { type TaskEvent, scheduledBy } from '../../tasks/domain/task.events';
import { type ExistingTaskState, findScheduled, isRegular } from '../../tasks/domain/task.state';
import { calendarExcluding } from '../../calendars/domain/calendar-timeline';
import type { CalendarCache } from './calendar-cache';
import { fireLag, refusedFirings, skippedOccurrences } from '../../metrics/metrics';
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
    /** The calendars of tasks that name some (absent: calendars are not consulted). */
    private readonly calendars?: CalendarCache,
  ) {}

  async prepare(due: DueOccurrence[]): Promise<void> {
    const missing = due.filter((item) => !item.snapshot);
    const loaded = await this.snapshots.loadMany(missing.map((item) => item.taskId));
    for (const item of missing) {
      item.snapshot = loaded.get(item.taskId);
      item.prepared = true;
    }
  }

  private calendarExclusion(item: DueOccurrence, state: ExistingTaskState) {
    return this.calendars ? excludingCalendar(this.calendars, item, state) : Promise.resolve(null);
  }

  async fire(due: DueOccurrence[]): Promise<DueOccurrence[]> {
    // States not already at hand come in one query for the whole batch.
    await this.prepare(due.filter((item) => !item.prepared));
    const next = await Promise.all(due.map((item) => this.fireOne(item)));
    return next.flat();
  }

  private async fireOne(item: DueOccurrence, slot?: HeldSlot, tries = 0): Promise<DueOccurrence[]> {
    this.executor.recordNow(item.taskId); // the run before goes on record first (see Executor.recordNow)
    // A state the read model did not have (rare): the stream's, so its calendars are known too.
    if (!item.snapshot && this.calendars) item.snapshot = await this.snapshots.refresh(item.taskId);
    const state = item.snapshot?.state;
    // Only a task that names calendars waits for them; the others go straight on (the benchmarked path).
    // An excluded occurrence is a skip, which needs no concurrency slot.
    const excludedBy =
      state && state.status !== 'none' && state.definition.calendars?.length
        ? await this.calendarExclusion(item, state)
        : null;
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
            ...(excludedBy && { excludedBy }),
          },
        },
        { snapshot: item.snapshot, urgent: true, dueAt: item.dueAt },
      );
    } catch (error) {
      if (slot) this.release(item);
      throw error;
    }
    if (!outcome.ok) {
      refusedFirings.inc({ code: outcome.error.code });
      if (slot) this.release(item);
      // A task with a concurrency limit starts only holding a slot of its key (ADR 019). Decided without
      // one, a start is refused, while a skip (overlap, misfire) is not and needs none: so `overlap: skip`
      // still skips a run due while the task's own run goes on, rather than queueing it.
      if (outcome.error.code === 'concurrency_slot_required' && this.limits && tries < MAX_SLOT_TRIES)
        return this.takeSlotAndFire(item, tries + 1);
      return []; // fired elsewhere, paused, deleted or edited away: nothing to do
    }
    if (slot && !outcome.events.some((event) => event.type === 'TaskExecutionStarted')) this.release(item);
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

  /**
   * Takes a slot of the task's key and fires again holding it, or leaves the occurrence waiting in the
   * gate (fired once granted). The first try reads the limit from the state at hand; a later one (the
   * key changed since) from the stream.
   */
  private async takeSlotAndFire(item: DueOccurrence, tries: number): Promise<DueOccurrence[]> {
    const known = tries === 1 ? this.snapshots.best(item.taskId, item.snapshot) : undefined;
    const snapshot = concurrencyOf(known) ? known : await this.snapshots.refresh(item.taskId);
    const limit = concurrencyOf(snapshot);
    const current = { ...item, snapshot };
    if (!limit) return this.fireOne(current, undefined, tries);
    const slot = await this.limits!.gate.enter(
      claimOf(current, limit),
      (later) => this.fireHolding(current, later, tries),
      (since) => this.recordWaiting(current, limit.key, since),
    );
    return slot ? this.fireOne(current, slot, tries) : []; // no slot: waits its turn, or held elsewhere
  }

  /** Fires an occurrence that waited, once it holds its slot; the next occurrences go to the timers. */
  private fireHolding(item: DueOccurrence, slot: HeldSlot, tries: number): void {
    this.fireOne(item, slot, tries).then(
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

/** Tries to fire a limited task with a slot of its current key (a key edited meanwhile needs another). */
const MAX_SLOT_TRIES = 3;

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

/**
 * The calendar (and its revision) that excludes the occurrence's due instant, for a regular occurrence
 * of a task that names calendars; null otherwise. The decider checks again that the task names it.
 */
async function excludingCalendar(
  calendars: CalendarCache,
  item: DueOccurrence,
  state: ExistingTaskState,
): Promise<{ calendarId: string; revision: number } | null> {
  const entry = findScheduled(state, item.occurrence, item.attempt);
  if (!entry || !isRegular(entry.reason)) return null; // manual runs and retries run
  return calendarExcluding(await calendars.get(state.definition.calendars ?? []), Date.parse(entry.dueAt));
}

/** The occurrences a command's events scheduled, as timer entries carrying the new state. */
export function scheduledIn(
  taskId: string,
  bucket: number,
  events: TaskEvent[],
  snapshot: TaskSnapshot,
): DueOccurrence[] {
  return events.flatMap((event) => {
    const scheduled = scheduledBy(event);
    if (!scheduled) return [];
    const { occurrence, attempt, dueAt, plannedAt } = scheduled;
    // The timer waits for the plan (a jittered start), not the schedule's instant.
    const due = Date.parse(plannedAt ?? dueAt);
    return [{ taskId, bucket, occurrence, attempt, dueAt: due, revision: snapshot.revision, snapshot }];
  });
}
