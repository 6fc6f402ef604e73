import fc from 'fast-check';
import { bucketOf, DEFAULT_BUCKET_COUNT } from './bucket';

describe('bucketOf', () => {
  it('is FNV-1a 32-bit (published test vectors) modulo the count', () => {
    const raw = (id: string) => bucketOf(id, 2 ** 32);
    expect(raw('')).toBe(0x811c9dc5);
    expect(raw('a')).toBe(0xe40c292c);
    expect(raw('foobar')).toBe(0xbf9cf968);
    expect(bucketOf('foobar', 256)).toBe(0xbf9cf968 % 256);
  });

  it('is stable and within range for any id and count', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 100_000 }), (id, count) => {
        const bucket = bucketOf(id, count);
        expect(Number.isInteger(bucket) && bucket >= 0 && bucket < count).toBe(true);
        expect(bucketOf(id, count)).toBe(bucket);
      }),
    );
  });

  it('spreads task ids evenly over the default 256 buckets', () => {
    const counts = new Array<number>(DEFAULT_BUCKET_COUNT).fill(0);
    fc.sample(fc.uuid(), { numRuns: 256 * 200, seed: 42 }).forEach((id) => counts[bucketOf(id)]++);
    // 200 expected per bucket; a fair hash stays well within ±40% (about 5.6 standard deviations).
    expect(Math.min(...counts)).toBeGreaterThan(120);
    expect(Math.max(...counts)).toBeLessThan(280);
  });

  it('refuses a bucket count that is not a positive integer', () => {
    expect(() => bucketOf('x', 0)).toThrow(RangeError);
    expect(() => bucketOf('x', 2.5)).toThrow(RangeError);
  });
});
