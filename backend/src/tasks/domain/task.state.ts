/**
 * A task's state: the pure fold of its stream. The stream revision is not part of it; the store
 * tracks that and checks it on append.
 *
 * evolve never throws. A recorded event is a fact; one that does not fit the state (which decide
 * never produces) leaves the state as it is rather than making the stream unreadable.
 */
import { type Instant, type TaskDefinition, withoutRemoved } from './task';
import {
  type ScheduleReason,
  type TaskEvent,
  type TaskExecuted,
  type TaskExecutionStarted,
  type TaskScheduled,
  scheduledBy,
} from './task.events';

export type TaskStatus = 'active' | 'paused' | 'completed' | 'deleted';

/*
 * What the state keeps of an occurrence or an execution is what its event recorded: the event's data is
 * the one statement of those fields.
 */

/** A pending occurrence (a first attempt or a retry). */
export type ScheduledOccurrence = TaskScheduled['data'] & {
  /** It waits for a slot of its concurrency key since then (TaskOccurrenceWaiting, ADR 019). */
  waitingSince?: Instant;
};

/** A started execution without an outcome yet. */
export type RunningExecution = TaskExecutionStarted['data'];

/** The last execution's outcome; its output stays in the log and the read model. */
export type ExecutionSummary = Omit<TaskExecuted['data'], 'output'>;

export interface ExistingTaskState {
  status: TaskStatus;
  definition: TaskDefinition;
  bucket: number;
  registeredAt: Instant;
  /** When the current schedule took effect (registration or the last schedule change): anchors an
   *  interval without startAt, and the regular timeline starts after it. */
  scheduleSince: Instant;
  /** Highest occurrence number handed out; the next new occurrence gets this + 1. */
  lastOccurrence: number;
  /** Due time of the latest regular occurrence that fired or was skipped: the timeline resumes after it. */
  regularDoneThrough: Instant | null;
  /** Pending occurrences (first attempts and retries), in the order they were scheduled. */
  scheduled: ScheduledOccurrence[];
  /** Started executions without an outcome yet. */
  running: RunningExecution[];
  pausedAt: Instant | null;
  /** Due times of the regular occurrences the pause dropped; resume honours them by misfire policy. */
  owedOnPause: Instant[];
  lastExecution: ExecutionSummary | null;
  /**
   * Due times of the instants a backfill put on record (sorted, ISO): a backfill never runs one again.
   * Absent until the first backfill, so older snapshots (ADR 011) read as they are.
   */
  backfilled?: Instant[];
}

export type TaskState = { status: 'none' } | ExistingTaskState;

export const initialTaskState: TaskState = { status: 'none' };

/**
 * Regular occurrences come from the schedule; manual triggers, backfills and retries do not move its
 * timeline (nor are they subject to misfire and overlap).
 */
export function isRegular(reason: ScheduleReason): boolean {
  return reason !== 'manual' && reason !== 'retry' && reason !== 'backfill';
}

/** Runs a person asked for (a trigger, a backfill) fire whatever the status but deleted. */
export function firesWhenNotActive(reason: ScheduleReason): boolean {
  return reason === 'manual' || reason === 'backfill';
}

export function evolve(state: TaskState, event: TaskEvent): TaskState {
  if (event.type === 'TaskRegistered') {
    if (state.status !== 'none') return state;
    const { definition, bucket, registeredAt } = event.data;
    const registered: ExistingTaskState = {
      status: 'active',
      definition,
      bucket,
      registeredAt,
      scheduleSince: registeredAt,
      lastOccurrence: 0,
      regularDoneThrough: null,
      scheduled: [],
      running: [],
      pausedAt: null,
      owedOnPause: [],
      lastExecution: null,
    };
    const first = scheduledBy(event);
    return first ? evolveExisting(registered, { type: 'TaskScheduled', data: first }) : registered;
  }
  if (state.status === 'none') return state;
  return evolveExisting(state, event);
}

function evolveExisting(
  state: ExistingTaskState,
  event: Exclude<TaskEvent, { type: 'TaskRegistered' }>,
): TaskState {
  switch (event.type) {
    case 'TaskUpdated': {
      const { changes, updatedAt } = event.data;
      // A removed field is recorded by its removed value (REMOVED_VALUES): folded, it is absent.
      const definition = withoutRemoved({ ...state.definition, ...changes }) as TaskDefinition;
      if (!changes.schedule) return { ...state, definition };
      // A new schedule starts a new regular timeline; manual runs and retries carry on.
      return {
        ...state,
        definition,
        scheduleSince: updatedAt,
        regularDoneThrough: null,
        owedOnPause: [],
        scheduled: state.scheduled.filter((s) => !isRegular(s.reason)),
      };
    }
    case 'TaskScheduled': {
      const next: ExistingTaskState = {
        ...state,
        lastOccurrence: Math.max(state.lastOccurrence, event.data.occurrence),
        scheduled: [...state.scheduled, { ...event.data }],
      };
      // Kept for good (first attempts only): a later backfill of the same instant runs nothing.
      if (event.data.reason === 'backfill' && event.data.attempt === 1) {
        next.backfilled = withInstant(state.backfilled ?? [], event.data.dueAt);
      }
      return next;
    }
    case 'TaskExecutionStarted': {
      const { occurrence, attempt, dueAt, startedAt, workerId, plannedAt, reason } = event.data;
      const entry = findScheduled(state, occurrence, attempt);
      const run: RunningExecution = { occurrence, attempt, dueAt, startedAt, workerId };
      if (plannedAt !== undefined) run.plannedAt = plannedAt;
      if (reason !== undefined) run.reason = reason;
      return {
        ...state,
        scheduled: withoutScheduled(state, occurrence, attempt),
        running: [...state.running, run],
        regularDoneThrough:
          entry && isRegular(entry.reason)
            ? latest(state.regularDoneThrough, dueAt)
            : state.regularDoneThrough,
      };
    }
    case 'TaskExecuted': {
      const { occurrence, attempt, outcome, startedAt, finishedAt, durationMs, error } = event.data;
      return {
        ...state,
        running: state.running.filter((r) => r.occurrence !== occurrence || r.attempt !== attempt),
        lastExecution: {
          occurrence,
          attempt,
          outcome,
          startedAt,
          finishedAt,
          durationMs,
          ...(error === undefined ? {} : { error }),
        },
      };
    }
    case 'TaskOccurrenceSkipped': {
      const { occurrence, dueAt } = event.data;
      const entry = findScheduled(state, occurrence, 1);
      return {
        ...state,
        scheduled: withoutScheduled(state, occurrence, 1),
        regularDoneThrough:
          entry && isRegular(entry.reason)
            ? latest(state.regularDoneThrough, dueAt)
            : state.regularDoneThrough,
      };
    }
    case 'TaskOccurrenceWaiting': {
      // Still scheduled, now known to wait for a concurrency slot (the ledger says `waiting`).
      const { occurrence, attempt, waitingSince } = event.data;
      return {
        ...state,
        scheduled: state.scheduled.map((s) =>
          s.occurrence === occurrence && s.attempt === attempt ? { ...s, waitingSince } : s,
        ),
      };
    }
    case 'TaskPaused':
      return {
        ...state,
        status: 'paused',
        pausedAt: event.data.pausedAt,
        owedOnPause: state.scheduled
          .filter((s) => isRegular(s.reason))
          .map((s) => s.dueAt)
          .sort(byInstant),
        // A backfill fires while paused: the pause keeps it (regular ones are owed, the rest dropped).
        scheduled: state.scheduled.filter((s) => s.reason === 'backfill'),
      };
    case 'TaskResumed':
      return { ...state, status: 'active', pausedAt: null, owedOnPause: [] };
    case 'TaskCompleted':
      return { ...state, status: 'completed', scheduled: [], owedOnPause: [] };
    case 'TaskDeleted':
      // Running executions stay: their outcome is still recorded, for the audit trail.
      return { ...state, status: 'deleted', scheduled: [], owedOnPause: [] };
    case 'TaskHistoryTruncated':
      // Only the log's past is shorter: the task is as it was.
      return state;
    default: {
      const _exhaustive: never = event;
      void _exhaustive;
      return state;
    }
  }
}

export function foldTaskEvents(events: readonly TaskEvent[], from: TaskState = initialTaskState): TaskState {
  return events.reduce(evolve, from);
}

export function findScheduled(state: ExistingTaskState, occurrence: number, attempt: number) {
  return state.scheduled.find((s) => s.occurrence === occurrence && s.attempt === attempt);
}

export function findRunning(state: ExistingTaskState, occurrence: number, attempt: number) {
  return state.running.find((r) => r.occurrence === occurrence && r.attempt === attempt);
}

function withoutScheduled(state: ExistingTaskState, occurrence: number, attempt: number) {
  return state.scheduled.filter((s) => s.occurrence !== occurrence || s.attempt !== attempt);
}

function latest(a: Instant | null, b: Instant): Instant {
  return a !== null && Date.parse(a) >= Date.parse(b) ? a : b;
}

function byInstant(a: Instant, b: Instant): number {
  return Date.parse(a) - Date.parse(b);
}

/** A copy of the sorted list with `at` in its place (once). A backfill appends in order: the usual case. */
function withInstant(sorted: readonly Instant[], at: Instant): Instant[] {
  const time = Date.parse(at);
  let index = sorted.length;
  while (index > 0 && Date.parse(sorted[index - 1]) > time) index--;
  if (index > 0 && Date.parse(sorted[index - 1]) === time) return [...sorted];
  return [...sorted.slice(0, index), at, ...sorted.slice(index)];
}
