import fc from 'fast-check';
import { MinHeap } from './min-heap';

describe('MinHeap', () => {
  it('pops in key order whatever the push order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 })), (keys) => {
        const heap = new MinHeap<number>((n) => n);
        keys.forEach((k) => heap.push(k));
        const popped: number[] = [];
        while (heap.size > 0) popped.push(heap.pop() as number);
        expect(popped).toEqual([...keys].sort((a, b) => a - b));
      }),
    );
  });

  it('popUpTo takes exactly the items at or below the limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 })),
        fc.integer({ min: 0, max: 100 }),
        (keys, limit) => {
          const heap = new MinHeap<number>((n) => n);
          keys.forEach((k) => heap.push(k));
          const taken = heap.popUpTo(limit);
          expect(taken).toEqual(keys.filter((k) => k <= limit).sort((a, b) => a - b));
          expect(heap.size).toBe(keys.filter((k) => k > limit).length);
          if (heap.size > 0) expect(heap.peek()).toBeGreaterThan(limit);
        },
      ),
    );
  });

  it('countUpTo counts exactly the items at or below the limit, leaving the heap as it was', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 })),
        fc.integer({ min: -1, max: 101 }),
        (keys, limit) => {
          const heap = new MinHeap<number>((n) => n);
          keys.forEach((k) => heap.push(k));
          expect(heap.countUpTo(limit)).toBe(keys.filter((k) => k <= limit).length);
          expect(heap.popUpTo(Infinity)).toEqual([...keys].sort((a, b) => a - b));
        },
      ),
    );
  });
});
