import type { CalendarDefinition } from './calendar-definition';
import { excludedBy, excludedThrough, exclusionAt, isRealDate, validateCalendar } from './exclusions';
import { calendarExcluding, nextRunsOutsideCalendars } from './calendar-timeline';

const calendar = (exclude: CalendarDefinition['exclude'], timezone = 'UTC'): CalendarDefinition => ({
  name: 'c',
  timezone,
  exclude,
});
const at = (iso: string) => Date.parse(iso);

describe('excludedBy', () => {
  it('a date excludes the whole day in the calendar zone, and only that day', () => {
    const berlin = calendar([{ date: '2026-12-25' }], 'Europe/Berlin');
    expect(excludedBy(berlin, at('2026-12-24T23:00:00Z'))).toBe(true); // 00:00 in Berlin
    expect(excludedBy(berlin, at('2026-12-25T22:59:59.999Z'))).toBe(true); // 23:59:59.999
    expect(excludedBy(berlin, at('2026-12-24T22:59:59Z'))).toBe(false);
    expect(excludedBy(berlin, at('2026-12-25T23:00:00Z'))).toBe(false);
  });

  it('a range excludes from (inclusive) to to (exclusive)', () => {
    const range = calendar([{ from: '2026-01-01T10:00:00Z', to: '2026-01-01T11:00:00+00:00' }]);
    expect(excludedBy(range, at('2026-01-01T09:59:59.999Z'))).toBe(false);
    expect(excludedBy(range, at('2026-01-01T10:00:00Z'))).toBe(true);
    expect(excludedBy(range, at('2026-01-01T10:59:59.999Z'))).toBe(true);
    expect(excludedBy(range, at('2026-01-01T11:00:00Z'))).toBe(false);
  });

  it('a 5-field cron excludes its whole matching minutes in the zone (weekends here)', () => {
    const weekends = calendar([{ cron: '* * * * 0,6' }], 'America/New_York');
    expect(excludedBy(weekends, at('2026-12-05T05:00:00Z'))).toBe(true); // Sat 00:00 in New York
    expect(excludedBy(weekends, at('2026-12-05T04:59:59Z'))).toBe(false); // Fri 23:59:59 there
    expect(excludedBy(weekends, at('2026-12-07T04:59:59.500Z'))).toBe(true); // Sun 23:59:59.5
    const lunch = calendar([{ cron: '0-29 12 * * *' }]);
    expect(excludedBy(lunch, at('2026-03-02T12:29:59Z'))).toBe(true);
    expect(excludedBy(lunch, at('2026-03-02T12:30:00Z'))).toBe(false);
  });

  it('a 6-field cron excludes its matching seconds', () => {
    const even = calendar([{ cron: '*/2 * * * * *' }]);
    expect(excludedBy(even, at('2026-03-02T12:00:02.900Z'))).toBe(true);
    expect(excludedBy(even, at('2026-03-02T12:00:03Z'))).toBe(false);
  });

  it('no exclusions exclude nothing; the first matching exclusion is named', () => {
    expect(excludedBy(calendar([]), Date.now())).toBe(false);
    const two = calendar([{ date: '2026-01-01' }, { cron: '* * 1 1 *' }]);
    expect(exclusionAt(two, at('2026-01-01T12:00:00Z'))).toEqual({ date: '2026-01-01' });
  });
});

describe('excludedThrough', () => {
  it('never goes past an allowed instant', () => {
    const c = calendar([{ date: '2026-03-29' }], 'Europe/Berlin'); // a spring-forward day there
    const end = excludedThrough(c, c.exclude[0], at('2026-03-29T08:00:00Z'));
    expect(end).toBeLessThanOrEqual(at('2026-03-29T22:00:00Z')); // midnight in Berlin (CEST)
    expect(excludedBy(c, end - 1)).toBe(true);
  });
});

describe('validateCalendar', () => {
  it('names the failing field', () => {
    expect(validateCalendar(calendar([{ date: '2026-02-30' }]))).toMatchObject({ field: 'exclude[0].date' });
    expect(validateCalendar(calendar([{ cron: 'nope' }]))).toMatchObject({ field: 'exclude[0].cron' });
    expect(
      validateCalendar(calendar([{ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }])),
    ).toMatchObject({ field: 'exclude[0].to' });
    expect(validateCalendar(calendar([], 'Mars/Olympus'))).toMatchObject({ field: 'timezone' });
    expect(validateCalendar({ ...calendar([]), name: '  ' })).toMatchObject({ field: 'name' });
    expect(validateCalendar(calendar([{ date: '2024-02-29' }, { cron: '0 0 * * *' }]))).toBeNull();
  });

  it('reads real dates only', () => {
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2025-02-29')).toBe(false);
    expect(isRealDate('2025-13-01')).toBe(false);
  });
});

describe('calendars on a schedule', () => {
  const everySecond = { kind: 'cron', expression: '* * * * * *', timezone: 'UTC' } as const;
  const today = { id: 'a', revision: 3, definition: calendar([{ date: '2026-06-01' }]) };

  it('names the first calendar that excludes an instant, with its revision', () => {
    const other = { id: 'b', revision: 0, definition: calendar([{ cron: '* * * * *' }]) };
    expect(calendarExcluding([today, other], at('2026-06-01T10:00:00Z'))).toEqual({
      calendarId: 'a',
      revision: 3,
    });
    expect(calendarExcluding([today, other], at('2026-06-02T10:00:00Z'))).toEqual({
      calendarId: 'b',
      revision: 0,
    });
    expect(calendarExcluding([today], at('2026-06-02T10:00:00Z'))).toBeNull();
  });

  it('the next runs jump over an excluded day, quickly', () => {
    const started = Date.now();
    const runs = nextRunsOutsideCalendars(everySecond, new Date('2026-06-01T00:00:00Z'), 3, [today]);
    expect(runs.map((d) => d.toISOString())).toEqual([
      '2026-06-02T00:00:00.000Z',
      '2026-06-02T00:00:01.000Z',
      '2026-06-02T00:00:02.000Z',
    ]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops at its bound when everything is excluded', () => {
    const all = { id: 'x', revision: 0, definition: calendar([{ cron: '* * * * * *' }]) };
    expect(nextRunsOutsideCalendars(everySecond, new Date(), 3, [all], undefined, 50)).toEqual([]);
  });
});
