import type { EventStore, RecordedEvent } from '../../event-store/event-store';
import type { NextBatch } from './batch-pipeline';
import type { ProjectorOptions } from './projector-options';

const IDLE = Symbol('idle');
/** The longest a live batch waits for foreground work: the read model trails a burst by about this. */
const MAX_YIELD_MS = 3000;
/**
 * Once caught up, the projector reads new events at most this often (the subscription's settleMs); an
 * event after a quiet spell is read at once. Without it, a cluster's projector wrote a transaction for
 * nearly every commit of the workers (178 a second in W2: 500 due/s over 3 workers), each with its
 * checkpoint, and the workers' reads of due occurrences after each.
 */
const LIVE_SETTLE_MS = 20;
/** Resolves after the events already received are handled: a batch takes what is there by then. */
const idle = (): Promise<typeof IDLE> => new Promise((resolve) => setImmediate(() => resolve(IDLE)));
const ignore = (): void => undefined;

export interface LiveBatchesOptions {
  store: EventStore;
  after: number;
  signal: AbortSignal;
  batchSize: number;
  maxBatchSize: number;
  yieldTo: ProjectorOptions['yieldTo'];
  /** Once caught up, read new events at most this often (ms); LIVE_SETTLE_MS unless given. */
  settleMs?: number;
}

/**
 * The batches of the live projector, from its subscription to the log after `after` (which wakes on
 * the event store's notifications). A batch is what is available now, up to a limit that adapts: each
 * full batch doubles the next one's limit, up to maxBatchSize, so that a projector behind catches up
 * in large transactions; having waited for events longer than the batch being written took means the
 * projector is live again: small batches, each visible as soon as it commits. Before each batch it
 * lets foreground work go first (yieldTo: this process's, and the cluster's other processes').
 * close() ends the subscription.
 */
export function liveBatches(options: LiveBatchesOptions): { next: NextBatch; close: () => void } {
  const { store, after, signal, batchSize, maxBatchSize, yieldTo, settleMs = LIVE_SETTLE_MS } = options;
  const subscription = store.subscribeToAll({
    after,
    signal,
    pageSize: maxBatchSize,
    settleMs,
  });
  const iterator = subscription[Symbol.asyncIterator]();
  const pull = (): Promise<IteratorResult<RecordedEvent>> => {
    const next = iterator.next();
    next.catch(ignore); // awaited below; this only keeps an early rejection from going unhandled
    return next;
  };
  let pending = pull();
  let limit = batchSize;
  const next = async (writing: () => boolean): Promise<RecordedEvent[] | undefined> => {
    let first = await Promise.race([pending, idle()]);
    if (first === IDLE) {
      first = await pending;
      if (!writing()) limit = batchSize;
    }
    if (first.done) return undefined;
    // Yields once there are events to project, not before waiting for them: a projector that sat idle
    // is woken by a burst's own starts, while their calls are going out.
    await yieldTo?.yield(MAX_YIELD_MS, signal);
    const now = idle();
    const batch = [first.value];
    pending = pull();
    while (batch.length < limit) {
      const event = await Promise.race([pending, now]);
      if (event === IDLE || event.done) break;
      batch.push(event.value);
      pending = pull();
    }
    if (batch.length >= limit) limit = Math.min(2 * limit, maxBatchSize);
    return batch;
  };
  return { next, close: () => void iterator.return?.().catch(ignore) };
}
