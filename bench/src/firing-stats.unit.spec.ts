import { firingAtArrivalAndStart, firingStats, percentile } from './firing-stats';

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

  it('counts duplicates and misses against what was expected, and ignores foreign observations', () => {
    const stats = firingStats(expected, [
      { key: 'a', at: 1010 },
      { key: 'a', at: 1030 },
      { key: 'b', at: 1020 },
      { key: 'other', at: 5 },
    ]);
    expect(stats).toMatchObject({ expected: 3, fired: 2, duplicates: 1, misses: 1 });
    expect(stats.lag).toEqual({ p50: 10, p95: 20, p99: 20, max: 20 });
    expect(stats.lastAfterDueMs).toBe(20);
  });

  it('measures lag from the first observation of a duplicated firing', () => {
    const stats = firingStats(expected.slice(0, 1), [
      { key: 'a', at: 1500 },
      { key: 'a', at: 1004 },
    ]);
    expect(stats.lag?.max).toBe(4);
    expect(stats.duplicates).toBe(1);
  });

  it('reports no lag when nothing fired', () => {
    const stats = firingStats(expected, []);
    expect(stats).toMatchObject({ fired: 0, misses: 3, lag: null, lastAfterDueMs: null, perSecond: null });
  });

  it('gives observations per second over the span of first observations', () => {
    const stats = firingStats(expected, [
      { key: 'a', at: 1000 },
      { key: 'b', at: 1500 },
      { key: 'c', at: 2000 },
    ]);
    expect(stats.perSecond).toBe(3);
  });
});

describe('firingAtArrivalAndStart', () => {
  const expected = [
    { key: 'a', dueAt: 1000 },
    { key: 'b', dueAt: 1000 },
  ];
  const arrival = (key: string, arrivedAt: number, idempotencyKey: string) => ({
    key,
    dueAt: 1000,
    idempotencyKey,
    arrivedAt,
  });

  it('measures the same firings at the receiver and at their start', () => {
    const { arrival: atArrival, start } = firingAtArrivalAndStart(
      expected,
      [arrival('a', 1030, 'id-a'), arrival('b', 1040, 'id-b')],
      [
        { key: 'a', dueAt: 1000, startedAt: 1010 },
        { key: 'b', dueAt: 1000, startedAt: 1020 },
      ],
    );
    expect(atArrival).toMatchObject({ fired: 2, duplicates: 0, misses: 0, lastAfterDueMs: 40 });
    expect(atArrival.lag?.max).toBe(40);
    expect(start.lag?.max).toBe(20);
  });

  it('counts a repeated Idempotency-Key at the receiver, and a call under a second key, as duplicates', () => {
    const { arrival: atArrival } = firingAtArrivalAndStart(
      expected,
      [arrival('a', 1010, 'id-a'), arrival('a', 1900, 'id-a'), arrival('a', 1950, 'id-a2')],
      [],
    );
    expect(atArrival).toMatchObject({ fired: 1, duplicates: 2, misses: 1 });
    expect(atArrival.lag?.max).toBe(10);
  });

  it('counts a firing that started but never arrived as missed at the receiver only', () => {
    const { arrival: atArrival, start } = firingAtArrivalAndStart(
      expected.slice(0, 1),
      [],
      [{ key: 'a', dueAt: 1000, startedAt: 1010 }],
    );
    expect(atArrival).toMatchObject({ fired: 0, misses: 1, lag: null });
    expect(start).toMatchObject({ fired: 1, misses: 0 });
  });
});
