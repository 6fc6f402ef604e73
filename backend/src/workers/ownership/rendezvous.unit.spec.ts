import fc from 'fast-check';
import { assignBuckets, ownerOf } from './rendezvous';

describe('rendezvous bucket assignment', () => {
  const workerIdArb = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), {
    minLength: 1,
    maxLength: 8,
  });

  it('gives every bucket to exactly one worker, whatever the member order', () => {
    fc.assert(
      fc.property(workerIdArb, fc.integer({ min: 1, max: 512 }), (workers, buckets) => {
        const forward = assignBuckets(workers, buckets);
        const backward = assignBuckets([...workers].reverse(), buckets);
        const all = [...forward.values()].flat().sort((a, b) => a - b);
        expect(all).toEqual(Array.from({ length: buckets }, (_, i) => i));
        for (const id of workers) expect(backward.get(id)).toEqual(forward.get(id));
      }),
    );
  });

  it('moves only the leaving worker’s buckets when a worker leaves', () => {
    fc.assert(
      fc.property(
        workerIdArb.filter((w) => w.length >= 2),
        (workers) => {
          const [leaving, ...staying] = workers;
          for (let bucket = 0; bucket < 256; bucket++) {
            const before = ownerOf(workers, bucket);
            if (before !== leaving) expect(ownerOf(staying, bucket)).toBe(before);
          }
        },
      ),
    );
  });

  it('splits 256 buckets about evenly over three workers', () => {
    const sizes = [...assignBuckets(['worker-a', 'worker-b', 'worker-c'], 256).values()].map((b) => b.length);
    for (const size of sizes) expect(size).toBeGreaterThan(256 / 3 - 30);
    for (const size of sizes) expect(size).toBeLessThan(256 / 3 + 30);
  });
});
