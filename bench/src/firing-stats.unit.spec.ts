import { firingStats, percentile } from './firing-stats';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile(values, 1)).toBe(100);
    expect(percentile([7], 0.99)).toBe(7);
  });
});

describe('firingStats', () => {
  const expected = [
    { key: 'a', dueAt: 1000 },
    { key: 'b', dueAt: 1000 },
    { key: 'c', dueAt: 2000 },
  ];

  it('counts duplicates and misses against what was expected, and ignores foreign starts', () => {
    const stats = firingStats(expected, [
      { key: 'a', dueAt: 1000, startedAt: 1010 },
      { key: 'a', dueAt: 1000, startedAt: 1030 },
      { key: 'b', dueAt: 1000, startedAt: 1020 },
      { key: 'other', dueAt: 0, startedAt: 5 },
    ]);
    expect(stats).toMatchObject({ expected: 3, fired: 2, duplicates: 1, misses: 1 });
    expect(stats.lag).toEqual({ p50: 10, p95: 20, p99: 20, max: 20 });
    expect(stats.lastStartAfterDueMs).toBe(20);
  });

  it('measures lag from the first start of a duplicated firing', () => {
    const stats = firingStats(expected.slice(0, 1), [
      { key: 'a', dueAt: 1000, startedAt: 1500 },
      { key: 'a', dueAt: 1000, startedAt: 1004 },
    ]);
    expect(stats.lag?.max).toBe(4);
    expect(stats.duplicates).toBe(1);
  });

  it('reports no lag when nothing fired', () => {
    const stats = firingStats(expected, []);
    expect(stats).toMatchObject({ fired: 0, misses: 3, lag: null, startsPerSecond: null });
  });

  it('gives starts per second over the span of first starts', () => {
    const stats = firingStats(expected, [
      { key: 'a', dueAt: 1000, startedAt: 1000 },
      { key: 'b', dueAt: 1000, startedAt: 1500 },
      { key: 'c', dueAt: 2000, startedAt: 2000 },
    ]);
    expect(stats.startsPerSecond).toBe(3);
  });
});
