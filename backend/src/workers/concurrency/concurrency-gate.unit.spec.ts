import fc from 'fast-check';
import { byDueOrder } from './concurrency-gate';
import type { SlotClaim } from './concurrency-slots';

// The gate tries a key's waiters in the order the slots table grants them: due time, then task,
// occurrence and attempt (a total order, so every worker agrees on who is next).

const claim = (dueAt: number, taskId: string, occurrence = 1, attempt = 1): SlotClaim => ({
  key: 'k',
  limit: 1,
  taskId,
  occurrence,
  attempt,
  dueAt: new Date(dueAt),
});

describe('byDueOrder', () => {
  it('orders by due time, then task, occurrence and attempt', () => {
    const a = claim(1000, 'b');
    const b = claim(2000, 'a');
    const c = claim(2000, 'b', 1, 1);
    const d = claim(2000, 'b', 1, 2);
    const e = claim(2000, 'b', 2, 1);
    expect([e, d, c, b, a].sort(byDueOrder)).toEqual([a, b, c, d, e]);
  });

  it('is a total order: antisymmetric, and zero only for the same attempt', () => {
    const arbitraryClaim = fc
      .record({
        dueAt: fc.integer({ min: 0, max: 5 }),
        taskId: fc.constantFrom('a', 'b', 'c'),
        occurrence: fc.integer({ min: 1, max: 3 }),
        attempt: fc.integer({ min: 1, max: 3 }),
      })
      .map((c) => claim(c.dueAt, c.taskId, c.occurrence, c.attempt));
    fc.assert(
      fc.property(arbitraryClaim, arbitraryClaim, (x, y) => {
        const same =
          x.dueAt.getTime() === y.dueAt.getTime() &&
          x.taskId === y.taskId &&
          x.occurrence === y.occurrence &&
          x.attempt === y.attempt;
        expect(Math.sign(byDueOrder(x, y))).toBe(-Math.sign(byDueOrder(y, x)) || 0);
        expect(byDueOrder(x, y) === 0).toBe(same);
      }),
    );
  });
});
