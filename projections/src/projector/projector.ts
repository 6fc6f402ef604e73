import { Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { RecordedEvent } from '../../../backend/src/event-store/event-store';
import { READ_MODEL_PROJECTOR, READ_MODEL_SCHEMA } from '../read-model/read-model-schema';
import { type BatchOutcome, type WrittenBatch, applied } from './batch-outcome';
import { BatchPreparation, type PreparedBatch } from './batch-preparation';
import { CarefulWriter } from './careful-write';
import { ChangePublisher } from './change-publisher';
import { FreshStarts } from './fresh-starts';
import { PipelinedWriter } from './pipelined-write';
import type { ProjectorLogger, ProjectorOptions } from './projector-options';
import { ReadModelWriter } from './read-model-writer';
import { Retry, describe, sleep } from './retry';

// Moved to files of their own; exported here still, as part of the projector's public face.
export type { BatchOutcome } from './batch-outcome';
export type { ProjectorLogger, ProjectorOptions } from './projector-options';
export { isDataError } from './retry';

const IDLE = Symbol('idle');
/** The longest a live batch waits for foreground work: the read model trails a burst by about this. */
const MAX_YIELD_MS = 3000;
const idle = (): Promise<typeof IDLE> => new Promise((resolve) => setImmediate(() => resolve(IDLE)));
const ignore = (): void => undefined;

/**
 * Follows the event log into the read model: in global order, in batches of up to `batchSize` events
 * (or whatever is available now; growing to `maxBatchSize` while behind), one transaction per batch
 * with the checkpoint in it, so a crash replays at most the batch that did not commit. Batches are
 * pipelined: while one is written, the next is read, its rows loaded and its events folded. An event
 * that cannot be applied is parked (read_model.parked_events) and the projector goes on; transient
 * database errors are retried with a capped exponential backoff until they pass or the projector stops.
 */
export class Projector {
  readonly schema: string;
  private readonly batchSize: number;
  private readonly maxBatchSize: number;
  private readonly writer: ReadModelWriter;
  private readonly preparation: BatchPreparation;
  private readonly publisher: ChangePublisher;
  private readonly careful: CarefulWriter;
  private readonly pipelinedWriter: PipelinedWriter;
  /** Bursts being delivered by workers of other processes (see FreshStarts); unused beside workers. */
  private readonly freshStarts = new FreshStarts();
  private readonly logger: ProjectorLogger;
  private readonly retry: Retry;
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;
  private committed = 0;

  constructor(private readonly options: ProjectorOptions) {
    this.schema = options.schema ?? READ_MODEL_SCHEMA;
    this.batchSize = options.batchSize ?? 500;
    this.maxBatchSize = Math.max(this.batchSize, options.maxBatchSize ?? 4 * this.batchSize);
    this.writer = new ReadModelWriter(this.schema, READ_MODEL_PROJECTOR);
    this.logger = options.logger ?? new Logger('projector');
    this.retry = new Retry(this.logger, options);
    const notify = options.notify ?? this.schema === READ_MODEL_SCHEMA;
    this.preparation = new BatchPreparation(options.pool, options.store, this.writer, notify, this.retry);
    this.publisher = new ChangePublisher(this.logger, options.publish);
    const parts = {
      pool: options.pool,
      writer: this.writer,
      preparation: this.preparation,
      logger: this.logger,
      afterTaskRows: options.afterTaskRows,
    };
    this.careful = new CarefulWriter({
      ...parts,
      retry: this.retry,
      publisher: this.publisher,
      onCheckpoint: (position) => (this.committed = position),
    });
    this.pipelinedWriter = new PipelinedWriter({
      ...parts,
      onCommitted: (position) => (this.committed = position),
    });
  }

  /** The last position this projector committed (or found as the checkpoint). */
  get position(): number {
    return this.committed;
  }

  /** Starts following the log in the background; stop() ends it. */
  start(): void {
    if (this.running) return;
    const controller = new AbortController();
    this.controller = controller;
    this.running = this.run(controller.signal);
  }

  /** Finishes the batch under way, then stops. */
  async stop(): Promise<void> {
    this.controller?.abort();
    await this.running;
    this.running = undefined;
  }

  /** Reads the checkpoint (creating its row if needed). */
  async readCheckpoint(): Promise<number> {
    const client = await this.options.pool.connect();
    try {
      this.committed = await this.writer.ensureCheckpoint(client);
      return this.committed;
    } finally {
      client.release();
    }
  }

  /**
   * Applies the log from the checkpoint up to `until` (default: the head now) page by page (pages of
   * maxBatchSize, the next read while one is written), and returns the checkpoint reached. For
   * rebuilds and tests; the live projector follows instead.
   */
  async catchUp(
    options: {
      until?: number;
      signal?: AbortSignal;
      onBatch?: (position: number, events: number) => void;
    } = {},
  ): Promise<number> {
    const { signal } = options;
    const until = options.until ?? (await this.options.store.headPosition());
    const after = await this.retry.retrying(() => this.readCheckpoint(), signal);
    const read = (from: number): Promise<RecordedEvent[]> => {
      if (from >= until || signal?.aborted) return Promise.resolve([]);
      const page = this.retry.retrying(
        () => this.options.store.readAll({ after: from, maxCount: this.maxBatchSize }),
        signal,
      );
      page.catch(ignore); // awaited below; this only keeps an early rejection from going unhandled
      return page;
    };
    let page = read(after);
    const outcome = await this.pipeline(
      after,
      signal,
      async () => {
        const events = await page;
        if (events.length === 0) return undefined;
        page = read(events[events.length - 1].position);
        return events;
      },
      (written) =>
        options.onBatch?.(written.outcome.position, written.outcome.kind === 'applied' ? written.events : 0),
    );
    return outcome.position;
  }

  /** Applies events (all those after `after`, in order) in one transaction of its own. */
  async applyBatch(events: RecordedEvent[], after: number): Promise<BatchOutcome> {
    return this.careful.applyBatch(events, after);
  }

  /**
   * Applies events on the caller's client, in the caller's transaction, checkpoint included (a
   * rebuild applies the final tail and swaps schemas in one transaction). Rolls nothing back itself:
   * on `moved` or an error the caller must roll back. Publishes nothing but the NOTIFY.
   */
  async applyInTransaction(
    client: PoolClient,
    events: RecordedEvent[],
    after: number,
  ): Promise<BatchOutcome> {
    return this.careful.applyInTransaction(client, events, after);
  }

  /**
   * Applies a prepared batch in a transaction of its own, pipelined: BEGIN and the checkpoint lock go
   * out together, then (if the checkpoint is where the batch follows on) every write and the COMMIT,
   * without waiting for one statement before sending the next. If anything fails, applies the
   * batch's events the careful way instead: rows loaded under the lock, transient errors retried,
   * refused events parked (a task taken for new that had a row after all ends up there too).
   * `sending`: called once the writes are on their way (or the batch is done).
   */
  private async writePrepared(
    prepared: PreparedBatch,
    signal: AbortSignal | undefined,
    sending: () => void,
  ): Promise<WrittenBatch> {
    const { events, after } = prepared;
    let outcome: BatchOutcome;
    try {
      outcome = await this.pipelinedWriter.write(prepared, sending);
    } catch {
      sending();
      const fallback = await this.careful.applyResiliently(events, after, signal);
      return { outcome: fallback, events: events.length, prepared: undefined };
    }
    sending();
    await this.publisher.afterCommit(outcome);
    return { outcome, events: events.length, prepared: outcome.kind === 'applied' ? prepared : undefined };
  }

  /**
   * Applies the batches `next` hands out, in order, from `after`, one transaction each: while a batch
   * is written, the next is read, loaded and folded (starting from the rows of the one in flight).
   * Ends when `next` has no more, or at a `moved` outcome, which it returns.
   */
  private async pipeline(
    after: number,
    signal: AbortSignal | undefined,
    next: (writing: () => boolean) => Promise<RecordedEvent[] | undefined>,
    onWritten?: (written: WrittenBatch) => void,
  ): Promise<BatchOutcome> {
    let last: BatchOutcome = applied(after);
    let inflight: { prepared: PreparedBatch; written: Promise<WrittenBatch> } | undefined;
    let writing = false;
    this.pipelinedWriter.open();
    const settle = async (): Promise<WrittenBatch> => {
      const written = await inflight!.written;
      inflight = undefined;
      last = written.outcome;
      onWritten?.(written);
      return written;
    };
    try {
      for (;;) {
        const events = await next(() => writing);
        if (!events) break;
        let prepared = await this.preparation.prepare(
          events,
          inflight?.prepared.position ?? last.position,
          inflight?.prepared.rowsAfter,
          signal,
        );
        if (inflight) {
          const written = await settle();
          if (written.outcome.kind === 'moved') return written.outcome;
          // Applied some other way than prepared (events parked, or retried): start from its rows.
          if (!written.prepared)
            prepared = await this.preparation.prepare(events, written.outcome.position, undefined, signal);
        }
        // Prepares the next batch only once this one's rows are on their way: folding is synchronous
        // work, and would hold back the round trips that come first.
        let sent = (): void => undefined;
        const sending = new Promise<void>((resolve) => (sent = resolve));
        const written = this.writePrepared(prepared, signal, sent);
        writing = true;
        const done = (): void => {
          writing = false;
          sent();
        };
        written.then(done, done); // settled below
        inflight = { prepared, written };
        await sending;
      }
      if (inflight) await settle();
      return last;
    } finally {
      // On an error, leave no transaction running behind the caller's back.
      if (inflight) await inflight.written.catch(ignore);
      await this.pipelinedWriter.close();
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    let after: number | undefined;
    for (let failures = 0; !signal.aborted;) {
      try {
        after ??= await this.readCheckpoint();
        after = await this.follow(after, signal);
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        after = undefined;
        this.logger.warn(`projector interrupted, resuming from the checkpoint: ${describe(error)}`);
        await sleep(this.retry.backoff(failures++), signal);
      }
    }
  }

  /** Follows the log from `after` until the projector stops or the checkpoint moved elsewhere. */
  private async follow(after: number, signal: AbortSignal): Promise<number> {
    const subscription = this.options.store.subscribeToAll({ after, signal, pageSize: this.maxBatchSize });
    const iterator = subscription[Symbol.asyncIterator]();
    const pull = (): Promise<IteratorResult<RecordedEvent>> => {
      const next = iterator.next();
      next.catch(ignore); // awaited below; this only keeps an early rejection from going unhandled
      return next;
    };
    let pending = pull();
    let limit = this.batchSize;
    // A batch is what is available now, up to `limit`. Each full batch doubles the next one's limit;
    // having waited for events longer than the batch being written took means the projector is live
    // again: small batches.
    const next = async (writing: () => boolean): Promise<RecordedEvent[] | undefined> => {
      // One budget per batch for both waits: the foreground of this process, then a burst's deliveries.
      const yieldUntil = Date.now() + MAX_YIELD_MS;
      await this.options.yieldTo?.yield(MAX_YIELD_MS, signal);
      let now = idle();
      let first = await Promise.race([pending, now]);
      if (first === IDLE) {
        first = await pending;
        if (!writing()) limit = this.batchSize;
        now = idle();
      }
      if (first.done) return undefined;
      const batch = [first.value];
      pending = pull();
      while (batch.length < limit) {
        const event = await Promise.race([pending, now]);
        if (event === IDLE || event.done) break;
        batch.push(event.value);
        pending = pull();
      }
      if (batch.length >= limit) limit = Math.min(2 * limit, this.maxBatchSize);
      // Fresh starts stand for the workers' backlog only where the workers are other processes: in this
      // one the foreground's own count is exact, and a blind hold would only leave the read model behind.
      if (!this.options.yieldTo?.tracksWorkers?.()) {
        this.freshStarts.observe(batch);
        await this.freshStarts.yield(Math.max(0, yieldUntil - Date.now()), signal);
      }
      return batch;
    };
    try {
      const outcome = await this.pipeline(after, signal, next);
      if (outcome.kind === 'moved') {
        this.logger.warn(
          `the checkpoint moved to ${outcome.position} (another projector, or a rebuild): following on`,
        );
      }
      return outcome.position;
    } finally {
      void iterator.return?.().catch(ignore);
    }
  }
}
