import { formatAbsolute, formatDuration, formatRelative } from './instants';

describe('instants', () => {
  const now = Date.parse('2026-11-24T09:00:00Z');

  it('says how far away an instant is, in the largest unit', () => {
    expect(formatRelative('2026-11-24T09:00:03Z', now)).toBe('in 3 sec.');
    expect(formatRelative('2026-11-24T08:55:00Z', now)).toBe('5 min. ago');
    expect(formatRelative('2026-11-24T09:00:00.400Z', now)).toBe('now');
  });

  it('shows an absolute time in a given zone', () => {
    expect(formatAbsolute('2026-11-24T09:00:05Z', 'Europe/Berlin')).toContain('10:00:05');
  });

  it('formats durations briefly', () => {
    expect(formatDuration(340)).toBe('340 ms');
    expect(formatDuration(1000)).toBe('1 s');
    expect(formatDuration(1234)).toBe('1.23 s');
    expect(formatDuration(300_000)).toBe('5 min');
    expect(formatDuration(null)).toBe('–');
  });
});
