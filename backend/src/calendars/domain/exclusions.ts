/**
 * Whether an instant falls in a calendar's excluded periods, and whether a calendar's definition can be
 * used at all. Pure: the zone and cron arithmetic are the task schedule's own (time-zones.ts,
 * cron-schedule.ts), so a calendar reads a zone and an expression exactly as a task's cron does.
 */
import { CALENDAR_LIMITS } from '../../../../contracts/limits';
import { cronFields, wallClockCron } from '../../tasks/domain/cron-schedule';
import { parseInstant } from '../../tasks/domain/instant';
import { cronExpressionProblem } from '../../tasks/domain/occurrences';
import { isValidTimeZone, offsetAt, wallTimeOf } from '../../tasks/domain/time-zones';
import type { CalendarDefinition, Exclusion } from './calendar-definition';

const SECOND_MS = 1000;
const MINUTE_MS = 60_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The calendar's first exclusion that holds `instant` (epoch ms), or null when it is not excluded. */
export function exclusionAt(calendar: CalendarDefinition, instant: number): Exclusion | null {
  let wall: number | undefined; // the instant's wall time in the zone, computed once when needed
  for (const exclusion of calendar.exclude) {
    if ('date' in exclusion) {
      wall ??= wallTimeOf(calendar.timezone, instant);
      if (dayOfWall(wall) === exclusion.date) return exclusion;
    } else if ('cron' in exclusion) {
      wall ??= wallTimeOf(calendar.timezone, instant);
      if (cronMatchesWall(exclusion.cron, wall)) return exclusion;
    } else if (instantMs(exclusion.from) <= instant && instant < instantMs(exclusion.to)) {
      return exclusion;
    }
  }
  return null;
}

/** Whether the calendar excludes `instant` (a Date or epoch ms). */
export function excludedBy(calendar: CalendarDefinition, instant: Date | number): boolean {
  return exclusionAt(calendar, typeof instant === 'number' ? instant : instant.getTime()) !== null;
}

/** A day's length, and more than any zone's offset changes within one day (for a safe lower bound). */
const DAY_MS = 86_400_000;
const LARGEST_DAILY_SHIFT_MS = 3 * 3_600_000;

/**
 * An instant at or before the end of the excluded stretch that holds `instant` (epoch ms, held by
 * `exclusion`): nothing between `instant` and it is allowed, so a scan may jump there. Exact for ranges
 * and cron units; for a date, the next midnight in the zone (or, should a daylight-saving change make
 * that doubtful, that midnight less the largest shift a day can have: a safe bound).
 */
export function excludedThrough(calendar: CalendarDefinition, exclusion: Exclusion, instant: number): number {
  if ('from' in exclusion) return Math.max(instant + 1, instantMs(exclusion.to));
  const wall = wallTimeOf(calendar.timezone, instant);
  const offset = wall - instant;
  if ('date' in exclusion) {
    const nextMidnight = (Math.floor(wall / DAY_MS) + 1) * DAY_MS;
    // The next midnight read with the offset in force just before it; kept when the instant before it
    // is still the excluded day (a day is one stretch of time, so everything between is too).
    const end = nextMidnight - offsetAt(calendar.timezone, nextMidnight - offset - 1);
    if (end > instant && dayOfWall(wallTimeOf(calendar.timezone, end - 1)) === exclusion.date) return end;
    return Math.max(instant + 1, nextMidnight - offset - LARGEST_DAILY_SHIFT_MS);
  }
  const unit = cronFields(exclusion.cron)?.length === 6 ? SECOND_MS : MINUTE_MS;
  return Math.max(instant + 1, (Math.floor(wall / unit) + 1) * unit - offset);
}

/** `YYYY-MM-DD` of a wall time (ms whose UTC fields are the local date and time). */
function dayOfWall(wall: number): string {
  return new Date(wall).toISOString().slice(0, 10);
}

/** The expression matches the wall time's minute (5 fields) or second (6 fields). */
function cronMatchesWall(expression: string, wall: number): boolean {
  const fields = cronFields(expression);
  if (!fields) return false;
  const unit = fields.length === 6 ? SECOND_MS : MINUTE_MS;
  const truncated = Math.floor(wall / unit) * unit;
  // croner answers the first match strictly after its argument; the wall clock runs at offset 0.
  return (
    wallClockCron(expression)
      .nextRun(new Date(truncated - 1))
      ?.getTime() === truncated
  );
}

function instantMs(text: string): number {
  return parseInstant(text)?.getTime() ?? NaN;
}

export interface CalendarProblem {
  /** Dotted path of the failing field, e.g. `exclude[3].cron`. */
  field: string;
  reason: string;
}

/** The first reason the definition cannot be used, or null. The edge's schema has checked its shape. */
export function validateCalendar(definition: CalendarDefinition): CalendarProblem | null {
  if (definition.name.trim().length === 0) return { field: 'name', reason: 'must not be empty' };
  if (definition.name.length > CALENDAR_LIMITS.name.maxLength)
    return { field: 'name', reason: `must be at most ${CALENDAR_LIMITS.name.maxLength} characters` };
  if (!isValidTimeZone(definition.timezone))
    return { field: 'timezone', reason: `unknown time zone "${definition.timezone}" (use an IANA name)` };
  if (definition.exclude.length > CALENDAR_LIMITS.exclusions.maxItems)
    return { field: 'exclude', reason: `must have at most ${CALENDAR_LIMITS.exclusions.maxItems} items` };
  for (const [i, exclusion] of definition.exclude.entries()) {
    const problem = exclusionProblem(exclusion);
    if (problem) return { field: `exclude[${i}].${problem.field}`, reason: problem.reason };
  }
  return null;
}

function exclusionProblem(exclusion: Exclusion): CalendarProblem | null {
  if ('date' in exclusion) {
    return isRealDate(exclusion.date) ? null : { field: 'date', reason: 'must be a real date, YYYY-MM-DD' };
  }
  if ('cron' in exclusion) {
    const problem = cronExpressionProblem(exclusion.cron);
    return problem ? { field: 'cron', reason: problem } : null;
  }
  const from = parseInstant(exclusion.from);
  const to = parseInstant(exclusion.to);
  if (!from) return { field: 'from', reason: 'must be an ISO 8601 instant with an offset' };
  if (!to) return { field: 'to', reason: 'must be an ISO 8601 instant with an offset' };
  return from < to ? null : { field: 'to', reason: 'must be after from' };
}

export function isRealDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
