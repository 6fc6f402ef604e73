import { Global, Module } from '@nestjs/common';

/** Foreground work above this many items makes background work wait. */
const BUSY_ABOVE = 64;
const POLL_MS = 5;

/**
 * Foreground work is what users wait on: due occurrences being fired and their actions delivered.
 * Background work (projecting the log, recording outcomes) matters to them only later. On two cores,
 * where one process can play every role, a burst reaches its receivers first when background work
 * yields between its batches while the foreground is busy, for a bounded time, so it still keeps up.
 * One instance per process, shared by its roles (ForegroundModule is global).
 */
export class Foreground {
  private readonly backlogs = new Set<() => number>();
  /** The backlogs that are this process's workers' own (not a bulk registration's). */
  private readonly workers = new Set<() => number>();

  /**
   * Adds a source of foreground work: the executor's waiting and running actions, the firings not yet
   * appended, or the tasks of bulk registrations under way (`ownWorkers: false`: not a worker's).
   */
  add(backlog: () => number, options: { ownWorkers?: boolean } = {}): () => void {
    this.backlogs.add(backlog);
    if (options.ownWorkers ?? true) this.workers.add(backlog);
    return () => {
      this.backlogs.delete(backlog);
      this.workers.delete(backlog);
    };
  }

  /** Whether this process has foreground work of its own (its workers), whose backlog it then knows. */
  tracksWorkers(): boolean {
    return this.workers.size > 0;
  }

  busy(): boolean {
    let items = 0;
    for (const backlog of this.backlogs) items += backlog();
    return items > BUSY_ABOVE;
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
