/**
 * decide and evolve for calendars: a command and the calendar's state in, events out (or a
 * CalendarDomainError). Pure: `now` comes in.
 */
import { sameJson } from '../../tasks/domain/task';
import type { CalendarDefinition } from './calendar-definition';
import type { CalendarCommand } from './calendar.commands';
import { CalendarDomainError } from './calendar.errors';
import type { CalendarEvent } from './calendar.events';
import { validateCalendar } from './exclusions';

export type CalendarState =
  | { status: 'none' }
  | {
      status: 'active' | 'deleted';
      definition: CalendarDefinition;
      createdAt: string;
      updatedAt: string;
    };

export const initialCalendarState: CalendarState = { status: 'none' };

export function decideCalendar(command: CalendarCommand, state: CalendarState, now: Date): CalendarEvent[] {
  const at = now.toISOString();
  const { calendarId } = command.data;
  switch (command.type) {
    case 'CreateCalendar': {
      const definition = normalized(command.data.definition);
      if (state.status === 'deleted') throw deleted(calendarId);
      if (state.status === 'active') {
        if (sameJson(state.definition, definition)) return [];
        throw new CalendarDomainError(
          'calendar_already_exists',
          `Calendar ${calendarId} already exists with a different definition; update it instead`,
        );
      }
      requireValid(definition);
      return [{ type: 'CalendarCreated', data: { definition, createdAt: at } }];
    }
    case 'UpdateCalendar': {
      const current = requireActive(state, calendarId);
      const definition = normalized({ ...current.definition, ...withoutUndefined(command.data.changes) });
      if (sameJson(current.definition, definition)) return [];
      requireValid(definition);
      return [{ type: 'CalendarUpdated', data: { definition, updatedAt: at } }];
    }
    case 'DeleteCalendar':
      if (state.status === 'deleted') return [];
      requireActive(state, calendarId);
      return [{ type: 'CalendarDeleted', data: { deletedAt: at } }];
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

export function evolveCalendar(state: CalendarState, event: CalendarEvent): CalendarState {
  switch (event.type) {
    case 'CalendarCreated':
      return {
        status: 'active',
        definition: event.data.definition,
        createdAt: event.data.createdAt,
        updatedAt: event.data.createdAt,
      };
    case 'CalendarUpdated':
      if (state.status === 'none') return state; // never decided; a fact that does not fit is ignored
      return { ...state, definition: event.data.definition, updatedAt: event.data.updatedAt };
    case 'CalendarDeleted':
      if (state.status === 'none') return state;
      return { ...state, status: 'deleted', updatedAt: event.data.deletedAt };
    default:
      return state;
  }
}

export function foldCalendarEvents(
  events: readonly CalendarEvent[],
  from = initialCalendarState,
): CalendarState {
  return events.reduce(evolveCalendar, from);
}

/** Only the definition's own fields, in their documented order (so equal definitions compare equal). */
function normalized(definition: CalendarDefinition): CalendarDefinition {
  return {
    name: definition.name,
    timezone: definition.timezone,
    exclude: definition.exclude.map((e) =>
      'date' in e ? { date: e.date } : 'cron' in e ? { cron: e.cron } : { from: e.from, to: e.to },
    ),
  };
}

function requireValid(definition: CalendarDefinition): void {
  const problem = validateCalendar(definition);
  if (problem) {
    throw new CalendarDomainError('invalid_calendar', `${problem.field}: ${problem.reason}`, problem.field);
  }
}

function requireActive(state: CalendarState, calendarId: string) {
  if (state.status === 'none')
    throw new CalendarDomainError('calendar_not_found', `Calendar ${calendarId} does not exist`);
  if (state.status === 'deleted') throw deleted(calendarId);
  return state;
}

function deleted(calendarId: string): CalendarDomainError {
  return new CalendarDomainError('calendar_deleted', `Calendar ${calendarId} is deleted`);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
