import fc from 'fast-check';
import { jitterOffsetMs } from './jitter';

const jitterArb = fc.integer({ min: 2, max: 3_600_000 });
const occurrenceArb = fc.integer({ min: 1, max: 1_000_000_000 });

describe('jitterOffsetMs, for any task, occurrence and jitter', () => {
  it('lies in [0, jitterMs) and is a whole number of ms', () => {
    fc.assert(
      fc.property(fc.uuid(), occurrenceArb, jitterArb, (taskId, occurrence, jitterMs) => {
        const offset = jitterOffsetMs(taskId, occurrence, jitterMs);
        expect(Number.isSafeInteger(offset)).toBe(true);
        expect(offset).toBeGreaterThanOrEqual(0);
        expect(offset).toBeLessThan(jitterMs);
      }),
    );
  });

  it('is the same every time it is asked (replay, every worker)', () => {
    fc.assert(
      fc.property(fc.uuid(), occurrenceArb, jitterArb, (taskId, occurrence, jitterMs) => {
        expect(jitterOffsetMs(taskId, occurrence, jitterMs)).toBe(
          jitterOffsetMs(String(taskId), Number(occurrence), jitterMs),
        );
      }),
    );
  });

  it('spreads a task’s occurrences over the whole window (each quarter gets a share)', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.integer({ min: 100, max: 3_600_000 }), (taskId, jitterMs) => {
        const quarters = [0, 0, 0, 0];
        for (let occurrence = 1; occurrence <= 400; occurrence++) {
          quarters[Math.floor((jitterOffsetMs(taskId, occurrence, jitterMs) * 4) / jitterMs)]++;
        }
        // 100 expected per quarter; 50 is more than 5 standard deviations below.
        quarters.forEach((count) => expect(count).toBeGreaterThan(50));
      }),
      { numRuns: 50 },
    );
  });

  it('spreads tasks due at one instant (the same occurrence) over the window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uuid(), { minLength: 200, maxLength: 200 }),
        occurrenceArb,
        (ids, occurrence) => {
          const halves = [0, 0];
          for (const id of ids) halves[jitterOffsetMs(id, occurrence, 3000) < 1500 ? 0 : 1]++;
          halves.forEach((count) => expect(count).toBeGreaterThan(50));
        },
      ),
      { numRuns: 30 },
    );
  });
});
