import { Logger } from '@nestjs/common';
import { type Actor, createActor } from 'xstate';
import { heapSize } from '../../metrics/metrics';
import { type BucketTimerInput, bucketTimerMachine } from './bucket-timer.machine';
import type { DueOccurrence, DueSource, Firer } from './due-occurrence';
import type { FiringLead } from './firing-lead';

export interface TimerSettings {
  lookaheadMs: number;
  rescanMs: number;
  prepareMs?: number;
  /** How long before due occurrences are fired (ADR 022). None: at due. */
  lead?: FiringLead;
}

const HORIZON_MARGIN_MS = 1000;

/**
 * Runs one timer actor per owned bucket. An actor that fails is restarted on its own (with a short
 * backoff) while the others go on; buckets that are no longer owned have their actors stopped. Actors
 * are independent top-level actors rather than children of one parent, so stopping many is linear.
 */
export class TimerSupervisor {
  private readonly logger = new Logger('timers');
  private readonly actors = new Map<number, Actor<typeof bucketTimerMachine>>();
  private readonly restarts = new Map<number, number>();
  private stopped = false;
  /** Due rows up to this position have been handed to the actors. */
  private since: number | undefined;
  private pulling = false;
  private pullAgain = false;

  constructor(
    private readonly source: DueSource,
    private readonly firer: Firer,
    private readonly settings: TimerSettings,
  ) {}

  /** Starts actors for newly owned buckets and stops those of buckets no longer owned. */
  setOwned(buckets: number[]): void {
    if (this.stopped) return;
    const wanted = new Set(buckets);
    for (const bucket of [...this.actors.keys()]) if (!wanted.has(bucket)) this.stopActor(bucket);
    for (const bucket of wanted) if (!this.actors.has(bucket)) this.startActor(bucket);
    this.settings.lead?.owned(this.actors.size);
  }

  owned(): number[] {
    return [...this.actors.keys()];
  }

  /**
   * The projector reported a change (in these buckets, or anywhere). One query reads every due row
   * written since the last look in the owned buckets and offers it to its actor; reports that arrive
   * meanwhile are folded into the next read, so a burst of reports costs a few queries, not one per
   * bucket.
   */
  changed(buckets?: number[]): void {
    if (buckets && !buckets.some((bucket) => this.actors.has(bucket))) return;
    if (this.pulling) {
      this.pullAgain = true;
      return;
    }
    this.pulling = true;
    void this.pull().finally(() => {
      this.pulling = false;
      if (this.pullAgain && !this.stopped) {
        this.pullAgain = false;
        this.changed();
      }
    });
  }

  /** Starts following changes from the projector's position now (call before owning buckets). */
  async start(): Promise<void> {
    this.since = await this.source.head();
  }

  private async pull(): Promise<void> {
    try {
      for (;;) {
        const owned = [...this.actors.keys()];
        if (owned.length === 0 || this.since === undefined || this.stopped) return;
        // A little past the actors' own window: they check it again when offered.
        const until = new Date(Date.now() + this.settings.lookaheadMs + HORIZON_MARGIN_MS);
        const changes = await this.source.changesSince(owned, this.since, until);
        this.since = changes.head;
        this.offer(changes.due);
        if (!changes.more) return;
      }
    } catch (error) {
      // The actors' periodic rescans still find whatever this missed.
      this.logger.warn(`reading due changes failed: ${(error as Error).message}`);
    }
  }

  /** Hands occurrences this worker just scheduled to their bucket's actor, if it owns it. */
  offer(due: DueOccurrence[]): void {
    const byBucket = new Map<number, DueOccurrence[]>();
    for (const item of due) byBucket.set(item.bucket, [...(byBucket.get(item.bucket) ?? []), item]);
    for (const [bucket, items] of byBucket) this.actors.get(bucket)?.send({ type: 'OFFER', due: items });
  }

  stop(): void {
    this.stopped = true;
    for (const bucket of [...this.actors.keys()]) this.stopActor(bucket);
  }

  private startActor(bucket: number): void {
    const { lead, ...settings } = this.settings;
    const input: BucketTimerInput = {
      bucket,
      source: this.source,
      firer: this.firer,
      ...settings,
      ...(lead && { lead: (dueTogether: number) => lead.forBucket(dueTogether) }),
    };
    const actor = createActor(bucketTimerMachine, { input });
    this.actors.set(bucket, actor);
    actor.subscribe({
      next: (snapshot) => heapSize.set({ bucket: String(bucket) }, snapshot.context.heap.size),
      error: (error) => this.restart(bucket, actor, error),
    });
    actor.start();
  }

  private restart(bucket: number, failed: Actor<typeof bucketTimerMachine>, error: unknown): void {
    if (this.actors.get(bucket) !== failed || this.stopped) return;
    const count = (this.restarts.get(bucket) ?? 0) + 1;
    this.restarts.set(bucket, count);
    this.logger.error(
      `timer of bucket ${bucket} failed (restart ${count}): ${(error as Error)?.message ?? error}`,
    );
    this.actors.delete(bucket);
    setTimeout(
      () => {
        if (!this.stopped && !this.actors.has(bucket)) this.startActor(bucket);
      },
      Math.min(100 * 2 ** Math.min(count, 6), 5000),
    ).unref();
  }

  private stopActor(bucket: number): void {
    this.actors.get(bucket)?.stop();
    this.actors.delete(bucket);
    heapSize.remove({ bucket: String(bucket) });
  }
}
