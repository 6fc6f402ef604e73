import type { AppendResult, BatchAppendResult, StreamAppend } from '../event-store';

interface Pending {
  append: StreamAppend;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for single appends (ADR 002, revision for issue 13). Every PostgreSQL append holds the
 * global-order lock until its commit, so appends commit one at a time and each pays its own fsync.
 * This merges the appends that arrive while batches are in flight into one appendMany: one
 * transaction, one commit, one fsync for all of them. With fewer than `maxInFlight` batches in flight
 * an append goes out at once, so a lone writer waits for nothing.
 *
 * appendMany takes each stream once, and two appends to one stream must commit in call order, so an
 * append whose stream is already in this or an in-flight batch waits in the queue for a later batch.
 * Results are per caller: a wrong expected revision rejects only its caller; an error of the whole
 * call (connection, server) rejects every caller of that batch.
 */
export class AppendCoalescer {
  private queue: Pending[] = [];
  private inFlight = 0;
  /** Streams of the batch being taken and of the batches in flight. */
  private readonly busyStreams = new Set<string>();

  constructor(
    private readonly appendMany: (appends: StreamAppend[]) => Promise<BatchAppendResult[]>,
    private readonly maxInFlight = 1,
    /** Bounds one call's size (and so its parameters and latency) however long the queue grows. */
    private readonly maxBatch = 1000,
  ) {
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new Error(`maxInFlight ${maxInFlight}`);
  }

  append(append: StreamAppend): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ append, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.takeBatch();
      if (batch.length === 0) return; // all queued streams are in flight: their batches' ends pump again
      void this.flush(batch);
    }
  }

  /** The queued appends whose streams are free, first come first; the others keep their order. */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    for (const pending of this.queue) {
      const { streamId } = pending.append;
      if (batch.length < this.maxBatch && !this.busyStreams.has(streamId)) {
        this.busyStreams.add(streamId);
        batch.push(pending);
      } else rest.push(pending);
    }
    this.queue = rest;
    return batch;
  }

  private async flush(batch: Pending[]): Promise<void> {
    this.inFlight++;
    try {
      const results = await this.appendMany(batch.map((pending) => pending.append));
      for (let i = 0; i < batch.length; i++) {
        const result = results[i];
        if (result.ok) batch[i].resolve({ nextRevision: result.nextRevision, position: result.position });
        else batch[i].reject(result.error);
      }
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      this.inFlight--;
      for (const pending of batch) this.busyStreams.delete(pending.append.streamId);
      this.pump();
    }
  }
}
