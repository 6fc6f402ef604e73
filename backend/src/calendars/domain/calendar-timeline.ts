/**
 * A task's calendars applied to its schedule: which calendar excludes a due instant (the firing path),
 * and the next runs once excluded instants are left out (the preview and the task's next runs). Pure.
 */
import { nextOccurrenceAfter } from '../../tasks/domain/occurrences';
import type { Schedule } from '../../tasks/domain/task-definition';
import type { CalendarAtRevision } from './calendar-definition';
import { excludedBy, excludedThrough, exclusionAt } from './exclusions';

/** The first of `calendars` (in the task's order) that excludes `instant`, as the firing records it. */
export function calendarExcluding(
  calendars: readonly CalendarAtRevision[],
  instant: number,
): { calendarId: string; revision: number } | null {
  for (const calendar of calendars) {
    if (excludedBy(calendar.definition, instant))
      return { calendarId: calendar.id, revision: calendar.revision };
  }
  return null;
}

/**
 * How many instants of the schedule a preview looks at before it gives up: a calendar that excludes
 * every run (a per-second cron and a calendar excluding today) must not make the preview spin.
 */
export const MAX_PREVIEW_CANDIDATES = 10_000;

/**
 * Up to `count` occurrences strictly after `after` that no calendar excludes, looking at no more than
 * MAX_PREVIEW_CANDIDATES instants of the schedule (fewer runs come back when the bound is reached).
 */
export function nextRunsOutsideCalendars(
  schedule: Schedule,
  after: Date,
  count: number,
  calendars: readonly CalendarAtRevision[],
  registeredAt?: Date,
  maxCandidates = MAX_PREVIEW_CANDIDATES,
): Date[] {
  const runs: Date[] = [];
  let cursor: Date | null = after;
  for (let seen = 0; runs.length < count && seen < maxCandidates; seen++) {
    cursor = nextOccurrenceAfter(schedule, cursor, registeredAt);
    if (!cursor) break;
    const skipTo = excludedStretchEnd(calendars, cursor.getTime());
    if (skipTo === null) runs.push(cursor);
    // The next candidate comes at or after the end of the excluded stretch: no scan through it.
    else cursor = new Date(skipTo - 1);
  }
  return runs;
}

/** Where the excluded stretch holding `instant` ends (see excludedThrough), or null when it is allowed. */
function excludedStretchEnd(calendars: readonly CalendarAtRevision[], instant: number): number | null {
  for (const calendar of calendars) {
    const exclusion = exclusionAt(calendar.definition, instant);
    if (exclusion) return excludedThrough(calendar.definition, exclusion, instant);
  }
  return null;
}
