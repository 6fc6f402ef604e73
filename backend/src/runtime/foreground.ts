import { Global, Module } from '@nestjs/common';

/** Foreground work above this many items makes background work wait. */
export const BUSY_ABOVE = 64;
const POLL_MS = 5;

/**
 * Foreground work is what users wait on: due occurrences being fired and their actions delivered, and
 * bulk registrations under way. Background work (projecting the log, recording outcomes) matters to
 * them only later. On two cores a burst reaches its receivers first when background work yields
 * between its batches while the foreground is busy, for a bounded time, so it still keeps up. One
 * instance per process, shared by its roles (ForegroundModule is global); a projector also counts the
 * foreground of the cluster's other processes (ForegroundSharing).
 */
export class Foreground {
  private readonly backlogs = new Set<() => number>();

  /**
   * Adds a source of foreground work: the executor's waiting and running actions, the firings not yet
   * appended, the tasks of bulk registrations under way, other processes' foreground. Returns its removal.
   */
  add(backlog: () => number): () => void {
    this.backlogs.add(backlog);
    return () => void this.backlogs.delete(backlog);
  }

  /** Items of foreground work now. */
  count(): number {
    let items = 0;
    for (const backlog of this.backlogs) items += backlog();
    return items;
  }

  busy(): boolean {
    return this.count() > BUSY_ABOVE;
  }

  /** Resolves once the foreground is not busy, after `maxWaitMs` at most, or on abort. */
  async yield(maxWaitMs: number, signal?: AbortSignal): Promise<void> {
    for (const until = Date.now() + maxWaitMs; this.busy() && Date.now() < until && !signal?.aborted;) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

@Global()
@Module({ providers: [Foreground], exports: [Foreground] })
export class ForegroundModule {}
