/**
 * How long before due a worker fires (ADR 022): decides and records the start, the call itself waiting
 * for the due instant. A lone firing goes LONE_FIRING_LEAD_MS ahead. A burst, many occurrences due at
 * one instant, goes ahead by about the time the worker takes to decide and record it, so that its
 * calls leave at due instead of behind its own records (a 10,000-task burst's first call left 420-520
 * ms after due with a 50 ms lead: its two batches of 5,000 were being decided and committed). Never
 * more than `maxMs` (KAIROS_FIRING_LEAD_MS), which bounds how long before due a pause or edit can find
 * the run already started.
 */
export const LONE_FIRING_LEAD_MS = 50;

/** A firing's cost (decision and commit) until one is measured: about what a burst takes here. */
const FIRST_GUESS_MS_PER_FIRING = 0.05;
/** Batches smaller than this say more about a commit's fixed cost than about a firing's. */
const MEASURED_FROM_BATCHES_OF = 256;

export class FiringLead {
  private msPerFiring = FIRST_GUESS_MS_PER_FIRING;
  private ownedBuckets = 1;

  constructor(
    /** The longest lead (KAIROS_FIRING_LEAD_MS). */
    readonly maxMs: number,
    /** The lead of a lone firing; the command batcher gathers firings within half of it. */
    readonly loneMs = Math.min(LONE_FIRING_LEAD_MS, maxMs),
  ) {}

  /** The buckets this worker owns: a bucket's share of a burst is about 1 / owned of the worker's. */
  owned(buckets: number): void {
    this.ownedBuckets = Math.max(1, buckets);
  }

  /**
   * The lead of `count` occurrences of one bucket due together. Tasks spread evenly over buckets, so the
   * worker has about `count` times its owned buckets due at that instant, all decided in one go.
   */
  forBucket(count: number): number {
    const burstMs = Math.round(count * this.ownedBuckets * this.msPerFiring);
    return Math.min(this.maxMs, Math.max(this.loneMs, burstMs));
  }

  /**
   * A batch of firings took this long from being taken to being committed. The latest large batches
   * count most: the rate moves with the load (three workers on two cores take twice as long per firing).
   */
  measured(firings: number, elapsedMs: number): void {
    if (firings < MEASURED_FROM_BATCHES_OF) return;
    this.msPerFiring = (this.msPerFiring + elapsedMs / firings) / 2;
  }
}
