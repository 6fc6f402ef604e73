/**
 * When a schedule's occurrences fall. Pure arithmetic: the caller passes the instants it reasons about.
 */
import {
  cronFields,
  nextCronOccurrence,
  previousCronOccurrence,
  wallClockCron,
  type CronSpec,
} from './cron-schedule';
import { TASK_LIMITS } from '../../../../contracts/limits';
import { parseInstant } from './instant';
import type { Schedule } from './task-definition';
import { isValidTimeZone } from './time-zones';

/** An anchor for an interval schedule that has neither startAt nor a registration time. */
const EPOCH = 0;
/** Any cron expression that can match at all matches within a few years of any date. */
const CRON_PROBE_FROM = Date.UTC(2000, 0, 1);
/** More than a century between occurrences is a typo, not a schedule. */
const MAX_INTERVAL_SECONDS = TASK_LIMITS.everySeconds.maximum;

/**
 * The first occurrence strictly after `after`, or null when the schedule has none left.
 * `registeredAt` anchors an interval schedule without startAt (the time the schedule took effect).
 */
export function nextOccurrenceAfter(schedule: Schedule, after: Date, registeredAt?: Date): Date | null {
  const next = nextMs(schedule, after.getTime(), registeredAt?.getTime());
  return next === null ? null : new Date(next);
}

/** The last occurrence strictly before `before`, or null. The mirror of nextOccurrenceAfter. */
export function previousOccurrenceBefore(schedule: Schedule, before: Date, registeredAt?: Date): Date | null {
  const previous = previousMs(schedule, before.getTime(), registeredAt?.getTime());
  return previous === null ? null : new Date(previous);
}

/** Up to `count` occurrences strictly after `after`, in order (fewer when the schedule ends). */
export function nextOccurrences(schedule: Schedule, after: Date, count: number, registeredAt?: Date): Date[] {
  const result: Date[] = [];
  let cursor: Date | null = after;
  while (result.length < count && cursor) {
    cursor = nextOccurrenceAfter(schedule, cursor, registeredAt);
    if (cursor) result.push(cursor);
  }
  return result;
}

function nextMs(schedule: Schedule, after: number, registeredAt: number | undefined): number | null {
  switch (schedule.kind) {
    case 'once': {
      const at = instantMs(schedule.at);
      return at > after ? at : null;
    }
    case 'cron':
      return nextCronOccurrence(cronSpec(schedule), after);
    case 'interval': {
      const { anchor, every } = intervalGrid(schedule, registeredAt);
      if (anchor > after) return anchor;
      return anchor + (Math.floor((after - anchor) / every) + 1) * every;
    }
    default: {
      const _exhaustive: never = schedule;
      throw new Error(`Unknown schedule kind in ${JSON.stringify(_exhaustive)}`);
    }
  }
}

function previousMs(schedule: Schedule, before: number, registeredAt: number | undefined): number | null {
  switch (schedule.kind) {
    case 'once': {
      const at = instantMs(schedule.at);
      return at < before ? at : null;
    }
    case 'cron':
      return previousCronOccurrence(cronSpec(schedule), before);
    case 'interval': {
      const { anchor, every } = intervalGrid(schedule, registeredAt);
      if (before <= anchor) return null;
      return anchor + (Math.ceil((before - anchor) / every) - 1) * every;
    }
    default: {
      const _exhaustive: never = schedule;
      throw new Error(`Unknown schedule kind in ${JSON.stringify(_exhaustive)}`);
    }
  }
}

function cronSpec(schedule: Extract<Schedule, { kind: 'cron' }>): CronSpec {
  return {
    expression: schedule.expression,
    timezone: schedule.timezone,
    startAt: schedule.startAt === undefined ? -Infinity : instantMs(schedule.startAt),
    endAt: schedule.endAt === undefined ? Infinity : instantMs(schedule.endAt),
  };
}

function intervalGrid(schedule: Extract<Schedule, { kind: 'interval' }>, registeredAt: number | undefined) {
  const anchor = schedule.startAt === undefined ? (registeredAt ?? EPOCH) : instantMs(schedule.startAt);
  return { anchor, every: schedule.everySeconds * 1000 };
}

/** Schedules reaching this module have passed validateSchedule; a bad instant here is a bug upstream. */
function instantMs(text: string): number {
  const date = parseInstant(text);
  if (!date) throw new Error(`Not an ISO 8601 instant with an offset: ${JSON.stringify(text)}`);
  return date.getTime();
}

/** A human reason why the schedule cannot be used, or null when it can. */
export function validateSchedule(schedule: Schedule): string | null {
  switch (schedule.kind) {
    case 'once':
      return instantProblem('at', schedule.at);
    case 'cron':
      return (
        cronExpressionProblem(schedule.expression) ??
        (isValidTimeZone(schedule.timezone)
          ? null
          : `unknown time zone "${schedule.timezone}" (use an IANA name)`) ??
        boundsProblem(schedule.startAt, schedule.endAt)
      );
    case 'interval':
      if (!Number.isSafeInteger(schedule.everySeconds) || schedule.everySeconds < 1) {
        return 'everySeconds must be a whole number of at least 1';
      }
      if (schedule.everySeconds > MAX_INTERVAL_SECONDS)
        return `everySeconds must be at most ${TASK_LIMITS.everySeconds.maximum} (100 years)`;
      return schedule.startAt === undefined ? null : instantProblem('startAt', schedule.startAt);
    default: {
      const _exhaustive: never = schedule;
      return `unknown schedule kind in ${JSON.stringify(_exhaustive)}`;
    }
  }
}

/**
 * Memoised: the answer depends on the expression alone, and checking it runs croner (a batch of a
 * thousand registrations, most with a handful of distinct expressions, asks the API and then decide).
 */
export function cronExpressionProblem(expression: string): string | null {
  const known = expressionProblems.get(expression);
  if (known !== undefined) return known;
  const problem = findCronExpressionProblem(expression);
  if (expressionProblems.size >= MAX_REMEMBERED_EXPRESSIONS) expressionProblems.clear();
  expressionProblems.set(expression, problem);
  return problem;
}

const expressionProblems = new Map<string, string | null>();
const MAX_REMEMBERED_EXPRESSIONS = 10_000;

function findCronExpressionProblem(expression: string): string | null {
  if (!cronFields(expression)) {
    return `cron expression "${expression}" must have 5 fields (minute hour day month weekday) or 6 (seconds first)`;
  }
  try {
    const cron = wallClockCron(expression);
    if (!cron.nextRun(new Date(CRON_PROBE_FROM)))
      return `cron expression "${expression}" never matches a date`;
    return null;
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
    return `invalid cron expression "${expression}": ${reason}`;
  }
}

function boundsProblem(startAt: string | undefined, endAt: string | undefined): string | null {
  const problem =
    (startAt === undefined ? null : instantProblem('startAt', startAt)) ??
    (endAt === undefined ? null : instantProblem('endAt', endAt));
  if (problem || startAt === undefined || endAt === undefined) return problem;
  return instantMs(endAt) < instantMs(startAt) ? 'endAt must not be before startAt' : null;
}

function instantProblem(field: string, value: string): string | null {
  return parseInstant(value)
    ? null
    : `${field} "${value}" is not an ISO 8601 instant with an offset (e.g. 2026-11-24T09:00:00Z)`;
}
