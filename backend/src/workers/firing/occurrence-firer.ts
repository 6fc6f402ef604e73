import type { TaskEvent } from '../../tasks/domain/task.events';
import { type ExistingTaskState, findScheduled, isRegular } from '../../tasks/domain/task.state';
import { calendarExcluding } from '../../calendars/domain/calendar-timeline';
import type { CalendarCache } from './calendar-cache';
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

  private async fireOne(item: DueOccurrence): Promise<DueOccurrence[]> {
    this.executor.recordNow(item.taskId); // the run before goes on record first (see Executor.recordNow)
    // A state the read model did not have (rare): the stream's, so its calendars are known too.
    if (!item.snapshot && this.calendars) item.snapshot = await this.snapshots.refresh(item.taskId);
    const state = item.snapshot?.state;
    // Only a task that names calendars waits for them; the others go straight on (the benchmarked path).
    const excludedBy =
      state && state.status !== 'none' && state.definition.calendars?.length
        ? await this.calendarExclusion(item, state)
        : null;
    const outcome = await this.commands.submit(
      {
        type: 'FireOccurrence',
        data: {
          taskId: item.taskId,
          occurrence: item.occurrence,
          attempt: item.attempt,
          workerId: this.workerId,
          ...(excludedBy && { excludedBy }),
        },
      },
      { snapshot: item.snapshot, urgent: true },
    );
    if (!outcome.ok) return []; // fired elsewhere, paused, deleted or edited away: nothing to do
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
