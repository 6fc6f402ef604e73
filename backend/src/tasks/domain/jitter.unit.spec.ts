import { mixedHash } from './hash';
import { jitterOffsetMs, startTimeOf } from './jitter';

const TASK_ID = '0b6f3a52-5d0e-4c4e-9a57-6f1b9f1d2c11';

describe('jitterOffsetMs', () => {
  it('is 0 without jitter, with 0 and with 1 ms', () => {
    expect(jitterOffsetMs(TASK_ID, 1, undefined)).toBe(0);
    expect(jitterOffsetMs(TASK_ID, 1, 0)).toBe(0);
    expect(jitterOffsetMs(TASK_ID, 1, 1)).toBe(0);
  });

  it('is a fixed value per task and occurrence (a stored stream replays to the same plan)', () => {
    // Pinned values: changing the hash would give occurrences scheduled after an upgrade other offsets
    // than the tests, the docs and the workers still running the old code expect.
    expect(mixedHash('')).toBe(2_872_998_923);
    expect(jitterOffsetMs(TASK_ID, 1, 3000)).toBe(2021);
    expect(jitterOffsetMs(TASK_ID, 2, 3000)).toBe(922);
    expect([1, 2, 3].map((n) => jitterOffsetMs(TASK_ID, n, 3000))).toEqual(
      [1, 2, 3].map((n) => mixedHash(`${TASK_ID}:${n}`) % 3000),
    );
  });

  it('spreads ten tasks due at one instant over most of the window', () => {
    const ids = Array.from(
      { length: 10 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const offsets = ids.map((id) => jitterOffsetMs(id, 1, 3000));
    expect(Math.max(...offsets) - Math.min(...offsets)).toBeGreaterThan(1500);
    expect(new Set(offsets).size).toBe(10);
  });
});

describe('startTimeOf', () => {
  it('is the planned time when there is one, else the due instant', () => {
    expect(startTimeOf({ dueAt: '2026-01-01T00:00:00.000Z' })).toBe('2026-01-01T00:00:00.000Z');
    expect(startTimeOf({ dueAt: '2026-01-01T00:00:00.000Z', plannedAt: '2026-01-01T00:00:01.234Z' })).toBe(
      '2026-01-01T00:00:01.234Z',
    );
  });
});
