/**
 * The regular timeline: the occurrences a task's schedule owes, as seen from its state.
 *
 * The decider keeps one invariant: while a task is active and its timeline has occurrences left, exactly
 * one regular occurrence is pending (several only while fire_all catches up). So an active task with
 * nothing scheduled and nothing running has nothing left to do, and completes.
 */
import { nextOccurrenceAfter, previousOccurrenceBefore } from './occurrences';
import { MAX_CATCH_UP_OCCURRENCES, type Schedule } from './task';
import { type ExistingTaskState, isRegular } from './task.state';

/** The first occurrence of a schedule that takes effect at `since`: a once task's instant even if past. */
export function firstOccurrence(schedule: Schedule, since: Date): Date | null {
  return nextOccurrenceAfter(schedule, schedule.kind === 'once' ? BEGINNING_OF_TIME : since, since);
}

const BEGINNING_OF_TIME = new Date(-8.64e15);

/** Next regular occurrence strictly after `after` on the task's schedule, never repeating a done one. */
export function nextOnTimeline(task: ExistingTaskState, after: Date): Date | null {
  const bound = timelineBound(task);
  return nextOccurrenceAfter(task.definition.schedule, bound && bound > after ? bound : after, since(task));
}

/**
 * A backfill's instants: the schedule's occurrences in [from, min(to, now)), oldest first, at most
 * `limit` (the caller asks for one more than it allows, to know when there are more). A cron's in its
 * time zone within startAt/endAt; an interval's on its grid from startAt (without one, only after the
 * time its schedule took effect); a once task's `at`.
 */
export function pastOccurrencesIn(
  task: ExistingTaskState,
  from: Date,
  to: Date,
  now: Date,
  limit: number,
): Date[] {
  const until = Math.min(to.getTime(), now.getTime()); // [from, min(to, now)): the future is the timers'
  const { schedule } = task.definition;
  // An interval without startAt runs from when its schedule took effect, as its timeline: not at it.
  const lower =
    schedule.kind === 'interval' && schedule.startAt === undefined ? since(task).getTime() : -Infinity;
  const found: Date[] = [];
  let cursor = nextOccurrenceAfter(schedule, new Date(Math.max(from.getTime() - 1, lower)), since(task));
  while (cursor && cursor.getTime() < until && found.length < limit) {
    found.push(cursor);
    cursor = nextOccurrenceAfter(schedule, cursor, since(task));
  }
  return found;
}

/** Whether another regular occurrence than `except` is pending: only the last one extends the timeline. */
export function hasOtherPendingRegular(task: ExistingTaskState, except: { occurrence: number }): boolean {
  return task.scheduled.some((s) => isRegular(s.reason) && s.occurrence !== except.occurrence);
}

/**
 * For fire_all: the next occurrence after a late one, but never more than MAX_CATCH_UP_OCCURRENCES
 * behind `now`; older ones are dropped.
 */
export function nextCatchingUp(task: ExistingTaskState, dueAt: Date, now: Date): Date | null {
  const next = nextOnTimeline(task, dueAt);
  if (!next || next > now) return next;
  const behind = lastOccurrencesUpTo(task, dueAt, now);
  return behind.length === MAX_CATCH_UP_OCCURRENCES ? behind[0] : next;
}

/** What the misfire policy makes of the regular occurrences a pause dropped or let pass. */
export function occurrencesOnResume(task: ExistingTaskState, now: Date, misfireThresholdMs: number): Date[] {
  const owedOnPause = task.owedOnPause.map((at) => new Date(at));
  const lastOwed = owedOnPause.at(-1) ?? null;
  // After the dropped ones, the timeline continues from the later of them and what already ran.
  const resumeAfter = later(lastOwed, timelineBound(task));
  const firstOwedAfter = (after: Date | null): Date | null => {
    const dropped = owedOnPause.find((d) => !after || d > after);
    if (dropped) return dropped;
    const from = later(resumeAfter, after);
    return from
      ? nextOccurrenceAfter(task.definition.schedule, from, since(task))
      : firstOccurrence(task.definition.schedule, since(task));
  };
  const missedBefore = new Date(now.getTime() - misfireThresholdMs);
  switch (task.definition.misfire) {
    case 'fire_once': {
      const first = firstOwedAfter(null);
      if (!first) return [];
      // Missed ones collapse into one run now; one only a little late just runs, late.
      return [first < missedBefore ? now : first];
    }
    case 'skip': {
      const next = firstOwedAfter(new Date(missedBefore.getTime() - 1));
      return next ? [next] : [];
    }
    case 'fire_all': {
      const missed = [...owedOnPause.filter((d) => d <= now), ...lastOccurrencesUpTo(task, resumeAfter, now)];
      const next = firstOwedAfter(now);
      return [...missed.slice(-MAX_CATCH_UP_OCCURRENCES), ...(next ? [next] : [])];
    }
    default: {
      const _exhaustive: never = task.definition.misfire;
      throw new Error(`Unknown misfire policy ${String(_exhaustive)}`);
    }
  }
}

/** The last MAX_CATCH_UP_OCCURRENCES occurrences in (after, until], oldest first; `after` null = all. */
function lastOccurrencesUpTo(task: ExistingTaskState, after: Date | null, until: Date): Date[] {
  const found: Date[] = [];
  let cursor = previousOccurrenceBefore(task.definition.schedule, new Date(until.getTime() + 1), since(task));
  while (cursor && (!after || cursor > after) && found.length < MAX_CATCH_UP_OCCURRENCES) {
    found.unshift(cursor);
    cursor = previousOccurrenceBefore(task.definition.schedule, cursor, since(task));
  }
  return found;
}

/**
 * Regular occurrences up to this instant are done (fired, skipped or passed over); null means none
 * is, which for a once task means its instant is still owed however long ago it was.
 */
function timelineBound(task: ExistingTaskState): Date | null {
  if (task.regularDoneThrough) return new Date(task.regularDoneThrough);
  return task.definition.schedule.kind === 'once' ? null : since(task);
}

function since(task: ExistingTaskState): Date {
  return new Date(task.scheduleSince);
}

function later(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}
