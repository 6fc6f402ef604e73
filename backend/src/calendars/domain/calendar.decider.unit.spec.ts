import { decideCalendar, evolveCalendar, foldCalendarEvents, initialCalendarState } from './calendar.decider';
import { CalendarDomainError } from './calendar.errors';
import { assertCalendarEvent, calendarIdOfStream, calendarStreamId } from './calendar.events';

const id = '0b6f5e38-7d4c-4a57-9b7e-3f1c2d4e5a6b';
const now = new Date('2026-06-01T10:00:00Z');
const definition = { name: 'holidays', timezone: 'Europe/Berlin', exclude: [{ date: '2026-12-25' }] };

function created() {
  return foldCalendarEvents(
    decideCalendar(
      { type: 'CreateCalendar', data: { calendarId: id, definition } },
      initialCalendarState,
      now,
    ),
  );
}

describe('calendar decider', () => {
  it('creates, repeats idempotently, refuses another definition under the same id', () => {
    const events = decideCalendar(
      { type: 'CreateCalendar', data: { calendarId: id, definition } },
      initialCalendarState,
      now,
    );
    expect(events).toEqual([{ type: 'CalendarCreated', data: { definition, createdAt: now.toISOString() } }]);
    const state = foldCalendarEvents(events);
    expect(
      decideCalendar({ type: 'CreateCalendar', data: { calendarId: id, definition } }, state, now),
    ).toEqual([]);
    expect(() =>
      decideCalendar(
        { type: 'CreateCalendar', data: { calendarId: id, definition: { ...definition, name: 'other' } } },
        state,
        now,
      ),
    ).toThrow(expect.objectContaining({ code: 'calendar_already_exists' }));
  });

  it('refuses an invalid definition, naming the field', () => {
    const bad = { ...definition, exclude: [{ date: '2026-02-31' }] };
    expect(() =>
      decideCalendar(
        { type: 'CreateCalendar', data: { calendarId: id, definition: bad } },
        initialCalendarState,
        now,
      ),
    ).toThrow(expect.objectContaining({ code: 'invalid_calendar', field: 'exclude[0].date' }));
  });

  it('an update records the whole new definition; the same values change nothing', () => {
    const state = created();
    const changes = { exclude: [{ cron: '* * * * 0,6' }] };
    const events = decideCalendar({ type: 'UpdateCalendar', data: { calendarId: id, changes } }, state, now);
    expect(events).toEqual([
      {
        type: 'CalendarUpdated',
        data: { definition: { ...definition, ...changes }, updatedAt: now.toISOString() },
      },
    ]);
    const after = events.reduce(evolveCalendar, state);
    expect(after).toMatchObject({
      status: 'active',
      definition: { name: 'holidays', exclude: changes.exclude },
    });
    expect(decideCalendar({ type: 'UpdateCalendar', data: { calendarId: id, changes } }, after, now)).toEqual(
      [],
    );
  });

  it('deletes once; a deleted calendar takes no update; an unknown one is not found', () => {
    const state = foldCalendarEvents(
      decideCalendar({ type: 'DeleteCalendar', data: { calendarId: id } }, created(), now),
      created(),
    );
    expect(state.status).toBe('deleted');
    expect(decideCalendar({ type: 'DeleteCalendar', data: { calendarId: id } }, state, now)).toEqual([]);
    expect(() =>
      decideCalendar(
        { type: 'UpdateCalendar', data: { calendarId: id, changes: { name: 'x' } } },
        state,
        now,
      ),
    ).toThrow(expect.objectContaining({ code: 'calendar_deleted' }));
    expect(() =>
      decideCalendar({ type: 'DeleteCalendar', data: { calendarId: id } }, initialCalendarState, now),
    ).toThrow(CalendarDomainError);
  });
});

describe('calendar events', () => {
  it('streams are calendar-<id>', () => {
    expect(calendarIdOfStream(calendarStreamId(id))).toBe(id);
    expect(calendarIdOfStream(`task-${id}`)).toBeNull();
    expect(calendarIdOfStream('calendar-nope')).toBeNull();
  });

  it('the shape check accepts what decide records and names what does not fit', () => {
    expect(assertCalendarEvent('CalendarCreated', { definition, createdAt: now.toISOString() }).type).toBe(
      'CalendarCreated',
    );
    expect(() =>
      assertCalendarEvent('CalendarUpdated', {
        definition: { ...definition, exclude: [{ date: '2026-01-01', cron: '* * * * *' }] },
        updatedAt: now.toISOString(),
      }),
    ).toThrow(/definition is missing or malformed/);
    expect(() => assertCalendarEvent('CalendarDeleted', {})).toThrow(/deletedAt/);
    expect(() => assertCalendarEvent('CalendarRenamed', {})).toThrow(/unknown event type/);
  });
});
