/** What can be asked of a calendar. Every command names its calendar; decide sees only its state. */
import type { CalendarDefinition } from './calendar-definition';

export type CreateCalendar = {
  type: 'CreateCalendar';
  data: { calendarId: string; definition: CalendarDefinition };
};
/** Fields left out stay as they are; a given `exclude` replaces the whole list. */
export type UpdateCalendar = {
  type: 'UpdateCalendar';
  data: { calendarId: string; changes: Partial<CalendarDefinition> };
};
export type DeleteCalendar = { type: 'DeleteCalendar'; data: { calendarId: string } };

export type CalendarCommand = CreateCalendar | UpdateCalendar | DeleteCalendar;
