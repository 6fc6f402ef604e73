import { Logger } from '@nestjs/common';
import { waitingForSlots } from '../../metrics/metrics';
import { dueKey } from '../timers/due-occurrence';
import { type ConcurrencySlots, SLOT_RELEASED_CHANNEL, type SlotClaim } from './concurrency-slots';

/** A slot this worker holds for one attempt: the FireOccurrence names its key and when it began to wait. */
export interface HeldSlot {
  key: string;
  waitingSince?: string;
}

/** Subscribes to a PostgreSQL channel ('' after a reconnect: anything may have been missed). */
export type Listen = (channel: string, handler: (payload: string) => void) => Promise<() => void>;

interface Waiter {
  claim: SlotClaim;
  granted: (slot: HeldSlot) => void;
}

/** Waiters renew their place and try again this often even without a release (a missed notification). */
const POLL_MS = 1000;

/** Due order within a key: due time, then task, occurrence, attempt (the order the table grants in). */
export function byDueOrder(a: SlotClaim, b: SlotClaim): number {
  return (
    a.dueAt.getTime() - b.dueAt.getTime() ||
    (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0) ||
    a.occurrence - b.occurrence ||
    a.attempt - b.attempt
  );
}

/**
 * The waiting room of this worker's occurrences for concurrency slots. An occurrence first tries to take
 * a slot; without one it waits here (and on record in the slots table, in its key's due order) and is
 * tried again when a slot of its key is released anywhere in the cluster (NOTIFY), and every second.
 * Nothing of this runs for tasks without a concurrency limit: the listener connects with the first waiter.
 */
export class ConcurrencyGate {
  private readonly logger = new Logger('concurrency');
  private readonly waiters = new Map<string, Waiter>();
  /** Keys being tried now, and keys to try again once that is over. */
  private readonly trying = new Set<string>();
  private readonly again = new Set<string>();
  private poll: NodeJS.Timeout | undefined;
  private listening: Promise<() => void> | undefined;
  private stopped = false;

  constructor(
    private readonly slots: ConcurrencySlots,
    private readonly listen: Listen,
    private readonly pollMs = POLL_MS,
  ) {}

  /**
   * The slot for this claim when one is free now; otherwise undefined, and `granted` is called once it
   * holds one (never, if the attempt is already held elsewhere: another worker fires it). `waiting` is
   * told when the claim begins to wait here, with when it first waited (anywhere in the cluster).
   */
  async enter(
    claim: SlotClaim,
    granted: (slot: HeldSlot) => void,
    waiting?: (since: Date) => void,
  ): Promise<HeldSlot | undefined> {
    if (this.stopped || this.waiters.has(dueKey(claim))) return undefined;
    const result = await this.slots.take(claim);
    if (result.kind === 'granted') return held(claim, result.waitingSince);
    if (result.kind === 'elsewhere') return undefined;
    this.waiters.set(dueKey(claim), { claim, granted });
    waitingForSlots.set(this.waiters.size);
    this.wakeUp();
    waiting?.(result.waitingSince);
    return undefined;
  }

  /** Occurrences of this worker waiting for a slot. */
  waiting(): number {
    return this.waiters.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    this.waiters.clear();
    waitingForSlots.set(0);
    const unlisten = await this.listening?.catch(() => undefined);
    unlisten?.();
    await this.slots.abandonWaiting();
  }

  /** Starts listening for releases and polling, with the first waiter. */
  private wakeUp(): void {
    this.listening ??= this.listen(SLOT_RELEASED_CHANNEL, (key) => (key ? this.tryKey(key) : this.tryAll()));
    this.listening.catch((error: Error) => {
      this.logger.warn(`listening for released slots failed (polling meanwhile): ${error.message}`);
      this.listening = undefined;
    });
    this.poll ??= setInterval(() => void this.tick(), this.pollMs).unref();
  }

  private async tick(): Promise<void> {
    if (this.waiters.size === 0) {
      clearInterval(this.poll);
      this.poll = undefined;
      return;
    }
    try {
      await this.slots.renew([...this.waiters.values()].map((waiter) => waiter.claim));
    } catch (error) {
      this.logger.warn(`renewing waiters failed: ${(error as Error).message}`);
    }
    this.tryAll();
  }

  private tryAll(): void {
    for (const key of new Set([...this.waiters.values()].map((waiter) => waiter.claim.key))) this.tryKey(key);
  }

  /** Tries the key's waiters in due order; one refused means those after it with no larger limit wait too. */
  private tryKey(key: string): void {
    if (this.stopped) return;
    if (this.trying.has(key)) {
      this.again.add(key);
      return;
    }
    this.trying.add(key);
    void this.takeInOrder(key).finally(() => {
      this.trying.delete(key);
      if (this.again.delete(key)) this.tryKey(key);
    });
  }

  private async takeInOrder(key: string): Promise<void> {
    const queue = [...this.waiters.values()]
      .filter((waiter) => waiter.claim.key === key)
      .sort((a, b) => byDueOrder(a.claim, b.claim));
    let refusedUpTo = 0;
    for (const waiter of queue) {
      if (waiter.claim.limit <= refusedUpTo || this.stopped) continue;
      try {
        const result = await this.slots.take(waiter.claim);
        if (result.kind === 'waiting') {
          refusedUpTo = Math.max(refusedUpTo, waiter.claim.limit);
          continue;
        }
        this.waiters.delete(dueKey(waiter.claim));
        waitingForSlots.set(this.waiters.size);
        if (result.kind === 'granted') waiter.granted(held(waiter.claim, result.waitingSince));
      } catch (error) {
        this.logger.warn(`taking a slot of ${key} failed (tried again): ${(error as Error).message}`);
        return;
      }
    }
  }
}

function held(claim: SlotClaim, waitingSince: Date | undefined): HeldSlot {
  return { key: claim.key, ...(waitingSince && { waitingSince: waitingSince.toISOString() }) };
}
