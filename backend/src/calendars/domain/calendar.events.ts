/**
 * The facts of a calendar's life, one stream per calendar (`calendar-<uuid>`). Each creation and update
 * records the whole definition, so a calendar's state is its last definition and no fold of partial
 * changes is needed (calendars are small and rarely edited).
 */
import { parseInstant } from '../../tasks/domain/instant';
import type { Instant } from '../../tasks/domain/task-definition';
import type { CalendarDefinition } from './calendar-definition';
import { InvalidCalendarEventError } from './calendar.errors';

export const CALENDAR_EVENT_SCHEMA_VERSION = 1;
const CALENDAR_STREAM_PREFIX = 'calendar-';

export function calendarStreamId(calendarId: string): string {
  return `${CALENDAR_STREAM_PREFIX}${calendarId}`;
}

const CALENDAR_STREAM = /^calendar-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The calendar id of a calendar stream (lower case), or null for other streams. */
export function calendarIdOfStream(streamId: string): string | null {
  if (!streamId.startsWith(CALENDAR_STREAM_PREFIX)) return null;
  const match = CALENDAR_STREAM.exec(streamId);
  return match ? match[1].toLowerCase() : null;
}

export type CalendarCreated = {
  type: 'CalendarCreated';
  data: { definition: CalendarDefinition; createdAt: Instant };
};
export type CalendarUpdated = {
  type: 'CalendarUpdated';
  data: { definition: CalendarDefinition; updatedAt: Instant };
};
export type CalendarDeleted = { type: 'CalendarDeleted'; data: { deletedAt: Instant } };

export type CalendarEvent = CalendarCreated | CalendarUpdated | CalendarDeleted;
export type CalendarEventType = CalendarEvent['type'];

type Check = (value: unknown) => boolean;
const isText: Check = (v) => typeof v === 'string';
const isInstant: Check = (v) => typeof v === 'string' && parseInstant(v) !== null;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One exclusion has exactly the fields of one kind. Meaning (a valid cron, a real date) is the edge's. */
const isExclusion: Check = (v) => {
  if (!isRecord(v)) return false;
  const keys = Object.keys(v).sort().join(',');
  if (keys === 'date') return isText(v.date);
  if (keys === 'from,to') return isInstant(v.from) && isInstant(v.to);
  if (keys === 'cron') return isText(v.cron);
  return false;
};

const isDefinition: Check = (v) =>
  isRecord(v) &&
  isText(v.name) &&
  isText(v.timezone) &&
  Array.isArray(v.exclude) &&
  v.exclude.every(isExclusion);

const EVENT_SHAPES: { [T in CalendarEventType]: Record<string, Check> } = {
  CalendarCreated: { definition: isDefinition, createdAt: isInstant },
  CalendarUpdated: { definition: isDefinition, updatedAt: isInstant },
  CalendarDeleted: { deletedAt: isInstant },
};

export function isCalendarEventType(type: string): type is CalendarEventType {
  return Object.hasOwn(EVENT_SHAPES, type);
}

/** The one gate for calendar events read back from a store: the typed event, or an error naming each misfit. */
export function assertCalendarEvent(type: string, data: unknown): CalendarEvent {
  if (!isCalendarEventType(type)) throw new InvalidCalendarEventError(type, ['unknown event type']);
  if (!isRecord(data)) throw new InvalidCalendarEventError(type, ['data is not an object']);
  const problems = Object.entries(EVENT_SHAPES[type])
    .filter(([field, check]) => !check(data[field]))
    .map(([field]) => `${field} is missing or malformed`);
  if (problems.length > 0) throw new InvalidCalendarEventError(type, problems);
  return { type, data } as CalendarEvent;
}
