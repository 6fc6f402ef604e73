/**
 * Schedule checks and previews computed in the browser with the server's own domain code, so what the
 * form shows (validity, the next occurrences across daylight-saving changes) is what the scheduler will do.
 */
import { nextOccurrences, validateSchedule } from '../../../../../backend/src/tasks/domain/occurrences';
import type { Schedule } from '../task.model';

/** Why the schedule cannot be used, or null. */
export function scheduleProblem(schedule: Schedule): string | null {
  return validateSchedule(schedule);
}

/** The next `count` occurrences after `now`, as the server would compute them for a new task. */
export function previewOccurrences(schedule: Schedule, now: Date, count = 5): Date[] {
  if (validateSchedule(schedule) !== null) return [];
  return nextOccurrences(schedule, now, count, now);
}

let zones: string[] | undefined;

/** Every IANA zone the browser knows, UTC first. */
export function timeZones(): string[] {
  zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
  return zones;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
