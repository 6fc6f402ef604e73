import { cronDayMatcher, daysInMonth, excludedDaysOfMonth, localDay } from './excluded-days';

const december2026 = { year: 2026, month: 12 };
const sorted = (days: Set<number>) => [...days].sort((a, b) => a - b);

describe('excludedDaysOfMonth', () => {
  it('marks a date in its month only', () => {
    expect(sorted(excludedDaysOfMonth([{ date: '2026-12-25' }], 'UTC', december2026))).toEqual([25]);
    expect(sorted(excludedDaysOfMonth([{ date: '2026-11-25' }], 'UTC', december2026))).toEqual([]);
  });

  it('marks every day a range touches, in the calendar zone, `to` exclusive', () => {
    const range = { from: '2026-12-30T22:00:00Z', to: '2027-01-02T00:00:00Z' };
    expect(sorted(excludedDaysOfMonth([range], 'UTC', december2026))).toEqual([30, 31]);
    // In Berlin 22:00Z on the 30th is 23:00 on the 30th; the end (00:00Z on 2 January) is 01:00 there.
    expect(sorted(excludedDaysOfMonth([range], 'Europe/Berlin', { year: 2027, month: 1 }))).toEqual([1, 2]);
    // In New York the range starts on the 30th at 17:00 and ends on 1 January at 19:00.
    expect(sorted(excludedDaysOfMonth([range], 'America/New_York', { year: 2027, month: 1 }))).toEqual([1]);
  });

  it('marks the days a cron expression matches: weekends, a day of the month, either field', () => {
    expect(sorted(excludedDaysOfMonth([{ cron: '* * * * 0,6' }], 'UTC', december2026))).toEqual([
      5, 6, 12, 13, 19, 20, 26, 27,
    ]);
    expect(sorted(excludedDaysOfMonth([{ cron: '0 0 9 1 * *' }], 'UTC', december2026))).toEqual([1]);
    expect(sorted(excludedDaysOfMonth([{ cron: '* * 24-26 DEC *' }], 'UTC', december2026))).toEqual([
      24, 25, 26,
    ]);
    expect(sorted(excludedDaysOfMonth([{ cron: '* * * JAN *' }], 'UTC', december2026))).toEqual([]);
    expect(sorted(excludedDaysOfMonth([{ cron: '* * 1 * SUN' }], 'UTC', december2026))).toEqual([
      1, 6, 13, 20, 27,
    ]);
  });

  it('ignores rows that do not parse', () => {
    expect(
      sorted(
        excludedDaysOfMonth(
          [{ cron: 'nonsense' }, { from: 'x', to: 'y' }, { date: '2026-12-40' }],
          'UTC',
          december2026,
        ),
      ),
    ).toEqual([]);
  });
});

describe('helpers', () => {
  it('knows month lengths, local days and cron day fields', () => {
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(localDay(Date.parse('2026-12-31T23:30:00Z'), 'Europe/Berlin')).toBe('2027-01-01');
    expect(localDay(0, 'Not/AZone')).toBeNull();
    expect(cronDayMatcher('* * * * 7')?.(2026, 12, 6)).toBe(true); // 7 is Sunday
    expect(cronDayMatcher('* * */2 * *')?.(2026, 12, 3)).toBe(true);
    expect(cronDayMatcher('* * */2 * *')?.(2026, 12, 2)).toBe(false);
    expect(cronDayMatcher('* * *')).toBeNull();
  });
});
