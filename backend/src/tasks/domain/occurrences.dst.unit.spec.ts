/**
 * Daylight saving, by example. Expected instants are written in UTC; the comments give the wall time.
 * The rule (ADR 004): a fixed wall time in a spring-forward gap fires once, shifted by the gap; a
 * repeated fixed wall time fires once, on its first pass; interval expressions fire on every real
 * instant of their grid, once.
 */
import { Cron } from 'croner';
import { nextOccurrenceAfter, nextOccurrences, previousOccurrenceBefore } from './occurrences';
import type { Schedule } from './task';

const cron = (expression: string, timezone: string): Schedule => ({ kind: 'cron', expression, timezone });
const next = (schedule: Schedule, after: string, count: number) =>
  nextOccurrences(schedule, new Date(after), count).map((d) => d.toISOString());
const previous = (schedule: Schedule, before: string) =>
  previousOccurrenceBefore(schedule, new Date(before))?.toISOString();
const gapsInMinutes = (instants: string[]) =>
  instants.slice(1).map((instant, i) => (Date.parse(instant) - Date.parse(instants[i])) / 60_000);

describe('America/New_York, 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00Z)', () => {
  const NY = 'America/New_York';

  it('02:30 does not exist: it fires once, at 03:30 EDT', () => {
    expect(next(cron('30 2 * * *', NY), '2026-03-07T12:00:00Z', 3)).toEqual([
      '2026-03-08T07:30:00.000Z', // 03:30 EDT
      '2026-03-09T06:30:00.000Z', // 02:30 EDT
      '2026-03-10T06:30:00.000Z',
    ]);
    expect(previous(cron('30 2 * * *', NY), '2026-03-08T12:00:00Z')).toBe('2026-03-08T07:30:00.000Z');
  });

  it('02:00 becomes 03:00 EDT; a list keeps each of its times', () => {
    expect(next(cron('0 2 * * *', NY), '2026-03-07T12:00:00Z', 1)).toEqual(['2026-03-08T07:00:00.000Z']);
    expect(next(cron('30 2,14 * * *', NY), '2026-03-07T12:00:00Z', 4)).toEqual([
      '2026-03-07T19:30:00.000Z', // 14:30 EST
      '2026-03-08T07:30:00.000Z', // 02:30 → 03:30 EDT
      '2026-03-08T18:30:00.000Z', // 14:30 EDT
      '2026-03-09T06:30:00.000Z',
    ]);
  });

  it('hourly: every real hour once, 02:00 does not exist', () => {
    expect(next(cron('0 * * * *', NY), '2026-03-08T04:30:00Z', 4)).toEqual([
      '2026-03-08T05:00:00.000Z', // 00:00 EST
      '2026-03-08T06:00:00.000Z', // 01:00 EST
      '2026-03-08T07:00:00.000Z', // 03:00 EDT
      '2026-03-08T08:00:00.000Z', // 04:00 EDT
    ]);
  });

  it('every 15 minutes: the real quarter hours, none missing, none twice', () => {
    const day = next(cron('*/15 * * * *', NY), '2026-03-07T12:00:00Z', 4 * 36);
    expect(new Set(gapsInMinutes(day))).toEqual(new Set([15]));
    expect(day).toContain('2026-03-08T06:45:00.000Z'); // 01:45 EST
    expect(day).toContain('2026-03-08T07:00:00.000Z'); // 03:00 EDT
  });
});

describe('America/New_York, 2026-11-01: 02:00 EDT falls back to 01:00 EST (06:00Z)', () => {
  const NY = 'America/New_York';

  it('01:30 happens twice: it fires once, on the first pass (EDT)', () => {
    expect(next(cron('30 1 * * *', NY), '2026-10-31T12:00:00Z', 2)).toEqual([
      '2026-11-01T05:30:00.000Z', // 01:30 EDT
      '2026-11-02T06:30:00.000Z', // 01:30 EST, the next day
    ]);
    // Between the two passes, the second pass is not an occurrence.
    expect(next(cron('30 1 * * *', NY), '2026-11-01T05:45:00Z', 1)).toEqual(['2026-11-02T06:30:00.000Z']);
    expect(previous(cron('30 1 * * *', NY), '2026-11-01T07:00:00Z')).toBe('2026-11-01T05:30:00.000Z');
  });

  it('02:30 happens once (EST)', () => {
    expect(next(cron('30 2 * * *', NY), '2026-10-31T12:00:00Z', 2)).toEqual([
      '2026-11-01T07:30:00.000Z',
      '2026-11-02T07:30:00.000Z',
    ]);
  });

  it('hourly: every real hour once, 01:00 on both passes', () => {
    expect(next(cron('0 * * * *', NY), '2026-11-01T03:30:00Z', 5)).toEqual([
      '2026-11-01T04:00:00.000Z', // 00:00 EDT
      '2026-11-01T05:00:00.000Z', // 01:00 EDT
      '2026-11-01T06:00:00.000Z', // 01:00 EST
      '2026-11-01T07:00:00.000Z', // 02:00 EST
      '2026-11-01T08:00:00.000Z',
    ]);
    expect(previous(cron('0 * * * *', NY), '2026-11-01T06:30:00Z')).toBe('2026-11-01T06:00:00.000Z');
    expect(previous(cron('0 * * * *', NY), '2026-11-01T06:00:00Z')).toBe('2026-11-01T05:00:00.000Z');
  });

  it('every 15 minutes: the real quarter hours, none missing, none twice', () => {
    const day = next(cron('*/15 * * * *', NY), '2026-10-31T12:00:00Z', 4 * 36);
    expect(new Set(gapsInMinutes(day))).toEqual(new Set([15]));
    expect(day.filter((i) => i >= '2026-11-01T05:00' && i < '2026-11-01T07:00')).toHaveLength(8);
  });
});

describe('Europe/Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00Z)', () => {
  const BERLIN = 'Europe/Berlin';

  it('02:30 fires once, at 03:30 CEST', () => {
    expect(next(cron('30 2 * * *', BERLIN), '2026-03-28T12:00:00Z', 2)).toEqual([
      '2026-03-29T01:30:00.000Z', // 03:30 CEST
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('hourly: 02:00 does not exist', () => {
    expect(next(cron('0 * * * *', BERLIN), '2026-03-28T23:30:00Z', 3)).toEqual([
      '2026-03-29T00:00:00.000Z', // 01:00 CET
      '2026-03-29T01:00:00.000Z', // 03:00 CEST
      '2026-03-29T02:00:00.000Z', // 04:00 CEST
    ]);
  });
});

describe('Europe/Berlin, 2026-10-25: 03:00 CEST falls back to 02:00 CET (01:00Z)', () => {
  const BERLIN = 'Europe/Berlin';

  it('02:30 happens twice: it fires once, at 02:30 CEST', () => {
    expect(next(cron('30 2 * * *', BERLIN), '2026-10-24T12:00:00Z', 2)).toEqual([
      '2026-10-25T00:30:00.000Z', // 02:30 CEST
      '2026-10-26T01:30:00.000Z', // 02:30 CET
    ]);
  });

  it('01:30 is not affected', () => {
    expect(next(cron('30 1 * * *', BERLIN), '2026-10-24T12:00:00Z', 2)).toEqual([
      '2026-10-24T23:30:00.000Z', // 01:30 CEST
      '2026-10-26T00:30:00.000Z', // 01:30 CET
    ]);
  });

  it('hourly and every 15 minutes: 02:00 to 02:45 on both passes, every real instant once', () => {
    expect(next(cron('0 * * * *', BERLIN), '2026-10-24T22:30:00Z', 4)).toEqual([
      '2026-10-24T23:00:00.000Z', // 01:00 CEST
      '2026-10-25T00:00:00.000Z', // 02:00 CEST
      '2026-10-25T01:00:00.000Z', // 02:00 CET
      '2026-10-25T02:00:00.000Z', // 03:00 CET
    ]);
    const day = next(cron('*/15 * * * *', BERLIN), '2026-10-24T12:00:00Z', 4 * 36);
    expect(new Set(gapsInMinutes(day))).toEqual(new Set([15]));
  });
});

describe('other shapes of transition', () => {
  it('a 30-minute gap (Australia/Lord_Howe, 2026-10-04 02:00 → 02:30): shifted times that meet a real one fire once', () => {
    expect(next(cron('0,15,30 2 * * *', 'Australia/Lord_Howe'), '2026-10-03T00:00:00Z', 4)).toEqual([
      '2026-10-03T15:30:00.000Z', // 02:00 → 02:30 +11, the same instant as the real 02:30
      '2026-10-03T15:45:00.000Z', // 02:15 → 02:45 +11
      '2026-10-04T15:00:00.000Z', // 02:00 +11, the next day
      '2026-10-04T15:15:00.000Z',
    ]);
  });

  it('a gap at midnight (America/Havana, 2026-03-08 00:00 → 01:00): the daily run moves to 01:00', () => {
    expect(
      nextOccurrenceAfter(cron('0 0 * * *', 'America/Havana'), new Date('2026-03-07T12:00:00Z')),
    ).toEqual(new Date('2026-03-08T05:00:00Z'));
  });

  it('seconds precision across the jump: the last second before and the first after', () => {
    expect(next(cron('* * * * * *', 'America/New_York'), '2026-03-08T06:59:58Z', 3)).toEqual([
      '2026-03-08T06:59:59.000Z', // 01:59:59 EST
      '2026-03-08T07:00:00.000Z', // 03:00:00 EDT
      '2026-03-08T07:00:01.000Z',
    ]);
  });
});

describe("croner's own zone mode, which we do not use (the reasons in ADR 004)", () => {
  const cronerRuns = (expression: string, after: string, count: number) =>
    new Cron(expression, { timezone: 'America/New_York' })
      .nextRuns(count, new Date(after))
      .map((d) => d.toISOString());

  it('fires a gap time at the end of the gap, where we shift it by the gap', () => {
    expect(cronerRuns('30 2 * * *', '2026-03-07T12:00:00Z', 1)).toEqual(['2026-03-08T07:00:00.000Z']);
    expect(next(cron('30 2 * * *', 'America/New_York'), '2026-03-07T12:00:00Z', 1)).toEqual([
      '2026-03-08T07:30:00.000Z',
    ]);
  });

  it('counts a list of hours as an interval expression, so a twice-daily job runs 01:30 twice', () => {
    expect(cronerRuns('30 1,13 * * *', '2026-11-01T04:00:00Z', 2)).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T06:30:00.000Z',
    ]);
    expect(next(cron('30 1,13 * * *', 'America/New_York'), '2026-11-01T04:00:00Z', 2)).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T18:30:00.000Z',
    ]);
  });
});
