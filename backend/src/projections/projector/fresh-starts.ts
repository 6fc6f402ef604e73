import type { RecordedEvent } from '../../event-store/event-store';

/** Starts recorded this recently have calls still on their way… */
const FRESH_MS = 1000;
/** …and this many of them in one batch are a burst being delivered. */
const BURST = 500;
/** How long after seeing a burst the projector leaves the machine to its deliveries. */
const HOLD_MS = 3000;

/**
 * A burst being fired, as the projector sees it in the log: many TaskExecutionStarted events started
 * moments ago, whose calls the workers are still delivering. In one process the projector yields to
 * them through Foreground; in a cluster the workers are other processes, and this is how it knows.
 * Projecting the burst a few seconds later costs the read model a few seconds of lag, in larger
 * batches; projecting it at once takes the CPU its calls need (10,000 due at once, 3 workers: the
 * projector and its PostgreSQL connection held about a core while the calls went out).
 */
export class FreshStarts {
  private holdUntil = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  /** Looks at a batch about to be projected; a burst holds the projector for HOLD_MS. */
  observe(batch: readonly RecordedEvent[]): void {
    const now = this.clock();
    let fresh = 0;
    for (const event of batch) {
      if (event.type !== 'TaskExecutionStarted') continue;
      const startedAt = Date.parse((event.data as { startedAt?: string }).startedAt ?? '');
      if (now - startedAt <= FRESH_MS && ++fresh >= BURST) {
        this.holdUntil = now + HOLD_MS;
        return;
      }
    }
  }

  /** Resolves once the hold is over, after `maxWaitMs` at most, or on abort. */
  async yield(maxWaitMs: number, signal?: AbortSignal): Promise<void> {
    const until = Math.min(this.holdUntil, this.clock() + maxWaitMs);
    while (this.clock() < until && !signal?.aborted) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, until - this.clock())));
    }
  }
}
