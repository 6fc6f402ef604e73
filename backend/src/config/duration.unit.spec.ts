import { parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['30d', 30 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['90m', 90 * 60_000],
    ['45s', 45_000],
    ['2w', 14 * 86_400_000],
    ['P30D', 30 * 86_400_000],
    ['PT12H', 12 * 3_600_000],
    ['P1DT12H30M', 86_400_000 + 12 * 3_600_000 + 30 * 60_000],
    ['pt90s', 90_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '30', 'd', '1.5h', '-3d', 'P', 'PT', 'P1M', 'P1Y', '30 days', 'P1DT'])(
    'refuses %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});
