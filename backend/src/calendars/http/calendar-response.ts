import type { Response } from 'express';
import type { CalendarCommandResult } from '../calendar-repository';
import type { LoadedCalendar } from '../calendar-stream';
import type { CalendarView } from './calendar.schema';

/** A command's answer, `{ id, revision, position }` with the revision as ETag, as a task command's. */
export function calendarCommandResponse(result: CalendarCommandResult, response?: Response) {
  response?.setHeader('ETag', `"${result.revision}"`);
  return { id: result.id, revision: result.revision, position: result.position };
}

export function toCalendarView(id: string, loaded: LoadedCalendar): CalendarView | null {
  const { state } = loaded;
  if (state.status === 'none') return null;
  return {
    id,
    ...state.definition,
    revision: loaded.revision,
    status: state.status,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
  };
}
