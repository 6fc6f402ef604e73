import type { EventStore } from '../event-store/event-store';
import type { CalendarAtRevision } from './domain/calendar-definition';
import { type CalendarState, evolveCalendar, initialCalendarState } from './domain/calendar.decider';
import { assertCalendarEvent, calendarStreamId } from './domain/calendar.events';

/** A calendar's state as of its stream's last event: revision -1 and position 0 when it never existed. */
export interface LoadedCalendar {
  state: CalendarState;
  revision: number;
  position: number;
}

/**
 * Reads a calendar's stream and folds it. Calendars are a handful of events each (every one records
 * the whole definition), so there is no snapshot: the log itself is read, exact to the revision.
 */
export async function loadCalendar(store: EventStore, calendarId: string): Promise<LoadedCalendar> {
  const events = await store.readStream(calendarStreamId(calendarId));
  let state = initialCalendarState;
  for (const event of events) state = evolveCalendar(state, assertCalendarEvent(event.type, event.data));
  const last = events.at(-1);
  return { state, revision: last?.revision ?? -1, position: last?.position ?? 0 };
}

/** The calendar for the firing path and previews, or null when it does not exist or is deleted. */
export function liveCalendar(calendarId: string, loaded: LoadedCalendar): CalendarAtRevision | null {
  return loaded.state.status === 'active'
    ? { id: calendarId, revision: loaded.revision, definition: loaded.state.definition }
    : null;
}
