import {
  nextOccurrenceAfter,
  nextOccurrences,
  previousOccurrenceBefore,
  validateSchedule,
} from './occurrences';
import type { Schedule } from './task';

const d = (iso: string) => new Date(iso);
const isoList = (dates: Date[]) => dates.map((date) => date.toISOString());
const cron = (
  expression: string,
  timezone = 'UTC',
  bounds: { startAt?: string; endAt?: string } = {},
): Schedule => ({
  kind: 'cron',
  expression,
  timezone,
  ...bounds,
});

describe('once', () => {
  const schedule: Schedule = { kind: 'once', at: '2026-11-24T10:00:00+01:00' };

  it('has its instant as the only occurrence, strictly after the reference', () => {
    expect(nextOccurrenceAfter(schedule, d('2026-11-24T08:59:59.999Z'))).toEqual(d('2026-11-24T09:00:00Z'));
    expect(nextOccurrenceAfter(schedule, d('2026-11-24T09:00:00Z'))).toBeNull();
    expect(nextOccurrences(schedule, d('2026-01-01T00:00:00Z'), 5)).toEqual([d('2026-11-24T09:00:00Z')]);
  });

  it('is its own previous occurrence, strictly before the reference', () => {
    expect(previousOccurrenceBefore(schedule, d('2026-11-24T09:00:00.001Z'))).toEqual(
      d('2026-11-24T09:00:00Z'),
    );
    expect(previousOccurrenceBefore(schedule, d('2026-11-24T09:00:00Z'))).toBeNull();
  });
});

describe('interval', () => {
  it('falls on anchor + k × every, anchored at startAt', () => {
    const schedule: Schedule = { kind: 'interval', everySeconds: 90, startAt: '2026-01-01T00:00:00Z' };
    expect(isoList(nextOccurrences(schedule, d('2026-01-01T00:02:00Z'), 3))).toEqual([
      '2026-01-01T00:03:00.000Z',
      '2026-01-01T00:04:30.000Z',
      '2026-01-01T00:06:00.000Z',
    ]);
  });

  it('starts at startAt when that lies ahead', () => {
    const schedule: Schedule = { kind: 'interval', everySeconds: 30, startAt: '2026-06-01T12:00:00Z' };
    expect(nextOccurrenceAfter(schedule, d('2026-01-01T00:00:00Z'))).toEqual(d('2026-06-01T12:00:00Z'));
    expect(previousOccurrenceBefore(schedule, d('2026-06-01T12:00:00Z'))).toBeNull();
  });

  it('is anchored at the registration time without startAt', () => {
    const schedule: Schedule = { kind: 'interval', everySeconds: 60 };
    const registeredAt = d('2026-01-01T10:00:00.500Z');
    expect(nextOccurrenceAfter(schedule, d('2026-01-01T10:05:00Z'), registeredAt)).toEqual(
      d('2026-01-01T10:05:00.500Z'),
    );
    expect(nextOccurrenceAfter(schedule, d('2026-01-01T10:05:00.500Z'), registeredAt)).toEqual(
      d('2026-01-01T10:06:00.500Z'),
    );
    expect(previousOccurrenceBefore(schedule, d('2026-01-01T10:05:00.500Z'), registeredAt)).toEqual(
      d('2026-01-01T10:04:00.500Z'),
    );
  });
});

describe('cron', () => {
  it('reads 5 fields at minute precision and 6 with seconds first', () => {
    expect(isoList(nextOccurrences(cron('*/20 * * * *'), d('2026-03-10T10:05:00Z'), 3))).toEqual([
      '2026-03-10T10:20:00.000Z',
      '2026-03-10T10:40:00.000Z',
      '2026-03-10T11:00:00.000Z',
    ]);
    expect(isoList(nextOccurrences(cron('15,45 * * * * *'), d('2026-03-10T10:05:20Z'), 3))).toEqual([
      '2026-03-10T10:05:45.000Z',
      '2026-03-10T10:06:15.000Z',
      '2026-03-10T10:06:45.000Z',
    ]);
  });

  it('is strictly after the reference, also from within a second', () => {
    expect(nextOccurrenceAfter(cron('0 12 * * *'), d('2026-03-10T12:00:00Z'))).toEqual(
      d('2026-03-11T12:00:00Z'),
    );
    expect(nextOccurrenceAfter(cron('* * * * * *'), d('2026-03-10T12:00:00.400Z'))).toEqual(
      d('2026-03-10T12:00:01Z'),
    );
    expect(nextOccurrenceAfter(cron('0 12 * * *'), d('2026-03-10T11:59:59.999Z'))).toEqual(
      d('2026-03-10T12:00:00Z'),
    );
  });

  it('reads the expression in its time zone', () => {
    // 09:00 in Tokyo (UTC+9, no daylight saving) is 00:00Z; on weekdays only (2026-03-14 is a Saturday).
    expect(
      isoList(nextOccurrences(cron('0 9 * * MON-FRI', 'Asia/Tokyo'), d('2026-03-12T12:00:00Z'), 2)),
    ).toEqual(['2026-03-13T00:00:00.000Z', '2026-03-16T00:00:00.000Z']);
    // 09:00 in Kolkata (UTC+5:30) is 03:30Z.
    expect(nextOccurrenceAfter(cron('0 9 * * *', 'Asia/Kolkata'), d('2026-03-12T12:00:00Z'))).toEqual(
      d('2026-03-13T03:30:00Z'),
    );
  });

  it('honours startAt (inclusive) and endAt (inclusive)', () => {
    const bounded = cron('0 12 * * *', 'UTC', {
      startAt: '2026-05-02T12:00:00Z',
      endAt: '2026-05-04T12:00:00Z',
    });
    expect(isoList(nextOccurrences(bounded, d('2026-01-01T00:00:00Z'), 10))).toEqual([
      '2026-05-02T12:00:00.000Z',
      '2026-05-03T12:00:00.000Z',
      '2026-05-04T12:00:00.000Z',
    ]);
    expect(previousOccurrenceBefore(bounded, d('2027-01-01T00:00:00Z'))).toEqual(d('2026-05-04T12:00:00Z'));
    expect(previousOccurrenceBefore(bounded, d('2026-05-02T12:00:00Z'))).toBeNull();
  });

  it('finds rare dates (29 February) years ahead', () => {
    expect(nextOccurrenceAfter(cron('0 0 29 2 *', 'Europe/Berlin'), d('2026-10-03T00:00:00Z'))).toEqual(
      d('2028-02-28T23:00:00Z'),
    );
  });

  it('supports the day-of-month extensions croner offers (last day)', () => {
    expect(nextOccurrenceAfter(cron('0 0 L * *'), d('2026-02-10T00:00:00Z'))).toEqual(
      d('2026-02-28T00:00:00Z'),
    );
  });

  it('walks back as it walks forward', () => {
    const schedule = cron('0 8,17 * * MON-FRI', 'America/Chicago');
    const forward = nextOccurrences(schedule, d('2026-03-01T00:00:00Z'), 30);
    const backward: Date[] = [];
    let cursor: Date | null = new Date(forward[29].getTime() + 1);
    while (backward.length < 30 && cursor) {
      cursor = previousOccurrenceBefore(schedule, cursor);
      if (cursor) backward.unshift(cursor);
    }
    expect(backward).toEqual(forward);
  });
});

describe('validateSchedule', () => {
  it.each<[string, Schedule, RegExp]>([
    ['a bad field value', cron('61 * * * *'), /invalid cron expression.*minute/i],
    ['too few fields', cron('* * * *'), /5 fields/],
    ['a year field', cron('0 0 0 1 1 * 2027'), /5 fields/],
    ['a nickname', cron('@daily'), /5 fields/],
    ['a date that never comes', cron('0 0 31 4 *'), /never matches/],
    ['an unknown zone', cron('0 * * * *', 'Mars/Olympus_Mons'), /unknown time zone/],
    [
      'an end before the start',
      cron('0 * * * *', 'UTC', { startAt: '2026-02-01T00:00:00Z', endAt: '2026-01-01T00:00:00Z' }),
      /endAt/,
    ],
    ['a start without offset', cron('0 * * * *', 'UTC', { startAt: '2026-02-01T00:00:00' }), /startAt/],
    ['an interval under a second', { kind: 'interval', everySeconds: 0.5 }, /everySeconds/],
    ['an interval of zero', { kind: 'interval', everySeconds: 0 }, /everySeconds/],
    ['an impossible date', { kind: 'once', at: '2026-02-30T10:00:00Z' }, /at/],
    ['no instant at all', { kind: 'once', at: 'tomorrow' }, /at/],
  ])('explains %s', (_case, schedule, reason) => {
    expect(validateSchedule(schedule)).toMatch(reason);
  });

  it.each<Schedule>([
    cron('0 */5 * * * *', 'Europe/Berlin'),
    cron('0 9 * * MON-FRI', 'America/New_York', {
      startAt: '2026-01-01T00:00:00Z',
      endAt: '2026-01-01T00:00:00Z',
    }),
    { kind: 'interval', everySeconds: 1 },
    { kind: 'once', at: '2026-11-24T09:00:00.123+05:30' },
  ])('accepts %j', (schedule) => {
    expect(validateSchedule(schedule)).toBeNull();
  });
});
