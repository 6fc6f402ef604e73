import { isValidTimeZone, offsetAt, wallTimeOf, zoneSegmentAt } from './time-zones';

const HOUR = 3_600_000;
const t = (iso: string) => Date.parse(iso);

describe('time zones', () => {
  it('knows IANA names and refuses others', () => {
    expect(['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires'].every(isValidTimeZone)).toBe(true);
    expect(['Mars/Olympus_Mons', '', '+01:00', 'Z'].some(isValidTimeZone)).toBe(false);
  });

  it('gives the offset in force at an instant', () => {
    expect(offsetAt('America/New_York', t('2026-01-15T12:00:00Z'))).toBe(-5 * HOUR);
    expect(offsetAt('America/New_York', t('2026-07-15T12:00:00Z'))).toBe(-4 * HOUR);
    expect(offsetAt('Asia/Kolkata', t('2026-07-15T12:00:00Z'))).toBe(5.5 * HOUR);
    expect(offsetAt('Pacific/Chatham', t('2026-01-15T12:00:00Z'))).toBe(13.75 * HOUR);
    expect(wallTimeOf('Europe/Berlin', t('2026-07-15T12:00:00Z'))).toBe(t('2026-07-15T14:00:00Z'));
  });

  it('finds a transition to the second, and the segment around it', () => {
    const spring = zoneSegmentAt('America/New_York', t('2026-03-08T07:00:00Z'));
    expect(spring).toMatchObject({
      start: t('2026-03-08T07:00:00Z'),
      offset: -4 * HOUR,
      offsetBefore: -5 * HOUR,
    });
    expect(spring.end).toBe(t('2026-11-01T06:00:00Z'));
    const justBefore = zoneSegmentAt('America/New_York', t('2026-03-08T06:59:59.999Z'));
    expect(justBefore).toMatchObject({ end: t('2026-03-08T07:00:00Z'), offset: -5 * HOUR });
    const halfHour = zoneSegmentAt('Australia/Lord_Howe', t('2026-10-04T00:00:00Z'));
    expect(halfHour).toMatchObject({
      start: t('2026-10-03T15:30:00Z'),
      offset: 11 * HOUR,
      offsetBefore: 10.5 * HOUR,
    });
  });

  it('treats a zone without daylight saving as one open segment', () => {
    expect(zoneSegmentAt('Asia/Tokyo', t('2026-07-15T12:00:00Z'))).toEqual({
      start: -Infinity,
      end: Infinity,
      offset: 9 * HOUR,
      offsetBefore: 9 * HOUR,
    });
  });

  it('finds transitions across a year boundary', () => {
    // Auckland changes in April and September; from December the next one is in the following April.
    const segment = zoneSegmentAt('Pacific/Auckland', t('2026-12-31T23:00:00Z'));
    expect(new Date(segment.start).getUTCMonth()).toBe(8);
    expect(new Date(segment.end).toISOString().slice(0, 7)).toBe('2027-04');
  });
});
