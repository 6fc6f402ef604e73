import fc from 'fast-check';
import { FiringLead, LONE_FIRING_LEAD_MS } from './firing-lead';

describe('FiringLead (ADR 022)', () => {
  it('gives a lone firing the lone lead, and never more than the longest', () => {
    expect(new FiringLead(500).forBucket(1)).toBe(LONE_FIRING_LEAD_MS);
    expect(new FiringLead(20).forBucket(1)).toBe(20);
    expect(new FiringLead(20).loneMs).toBe(20);
    expect(new FiringLead(0).forBucket(100_000)).toBe(0);
  });

  it('fires a burst ahead by what the whole worker has due, from the measured cost of a firing', () => {
    const lead = new FiringLead(2000);
    lead.owned(100);
    // 40 due in this bucket: about 4,000 in the worker, at the first guess of 0.05 ms a firing.
    expect(lead.forBucket(40)).toBe(200);
    // Batches of 5,000 firings taking 500 ms: 0.1 ms a firing, averaged with the guess before it.
    lead.measured(5000, 500);
    expect(lead.forBucket(40)).toBe(300);
    lead.measured(5000, 500);
    expect(lead.forBucket(40)).toBe(350);
    // A small batch says more about a commit's fixed cost than about a firing's: not counted.
    lead.measured(10, 500);
    expect(lead.forBucket(40)).toBe(350);
  });

  it('stays between the lone lead and the longest, growing with what is due together', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 1, max: 512 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 5000 }))),
        (maxMs, buckets, a, b, batches) => {
          const lead = new FiringLead(maxMs);
          lead.owned(buckets);
          for (const [firings, ms] of batches) lead.measured(firings, ms);
          const [fewer, more] = [Math.min(a, b), Math.max(a, b)];
          expect(lead.forBucket(fewer)).toBeGreaterThanOrEqual(lead.loneMs);
          expect(lead.forBucket(more)).toBeLessThanOrEqual(maxMs);
          expect(lead.forBucket(more)).toBeGreaterThanOrEqual(lead.forBucket(fewer));
        },
      ),
    );
  });
});
