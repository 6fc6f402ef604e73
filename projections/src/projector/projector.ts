import { Logger } from '@nestjs/common';
import { Pool, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import { survivingConnectionLoss } from '../../../backend/src/database/connection-loss';
import { inTransaction } from '../../../backend/src/database/transaction';
import type { RecordedEvent } from '../../../backend/src/event-store/event-store';
import type { ReadModelChange } from '../change-feed/change-feed';
import { READ_MODEL_PROJECTOR, READ_MODEL_SCHEMA } from '../read-model/read-model-schema';
import { type BatchOutcome, type WrittenBatch, applied, appliedAsPrepared } from './batch-outcome';
import { BatchPreparation, type PreparedBatch } from './batch-preparation';
import { FreshStarts } from './fresh-starts';
import type { ProjectorLogger, ProjectorOptions } from './projector-options';
import { ReadModelWriter, type Statement } from './read-model-writer';
import { Retry, describe, isDataError, sleep } from './retry';

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
  private publishFailing = false;
  /** Bursts being delivered by workers of other processes (see FreshStarts); unused beside workers. */
  private readonly freshStarts = new FreshStarts();
  private readonly logger: ProjectorLogger;
  private readonly retry: Retry;
  private controller: AbortController | undefined;
  /** Opened for pipelined batches, closed when no pipeline runs. */
  private pipelinedPool: Pool | undefined;
  private pipelines = 0;
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
    const outcome = await this.inTransaction((client) => this.applyInTransaction(client, events, after));
    await this.afterCommit(outcome);
    return outcome;
  }

  /** After a batch committed: logs what it parked and publishes its change. */
  private async afterCommit(outcome: BatchOutcome): Promise<void> {
    if (outcome.kind !== 'applied') return;
    for (const { position, type, stream_id, error } of outcome.parked) {
      this.logger.error(`parked event ${position} (${type} of ${stream_id}): ${error}`);
    }
    await this.published(outcome.change);
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
    const checkpoint = await this.writer.lockCheckpoint(client);
    if (checkpoint !== after) return { kind: 'moved', position: checkpoint };
    if (events.length === 0) return applied(after);
    return this.write(client, await this.preparation.prepareUnderLock(client, events, after));
  }

  /** Writes a prepared batch in the caller's transaction, once the checkpoint lock confirmed it. */
  private async write(client: PoolClient, prepared: PreparedBatch): Promise<BatchOutcome> {
    const [tasks, rest] = this.preparation.statements(prepared);
    for (const { text, values } of tasks) await client.query(text, values);
    await this.options.afterTaskRows?.({ events: prepared.events.length, position: prepared.position });
    for (const { text, values } of rest) await client.query(text, values);
    return appliedAsPrepared(prepared);
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
      outcome = await this.pipelined(prepared, sending);
    } catch {
      sending();
      const fallback = await this.applyResiliently(events, after, signal);
      return { outcome: fallback, events: events.length, prepared: undefined };
    }
    sending();
    await this.afterCommit(outcome);
    return { outcome, events: events.length, prepared: outcome.kind === 'applied' ? prepared : undefined };
  }

  private async pipelined(prepared: PreparedBatch, sending: () => void): Promise<BatchOutcome> {
    this.pipelinedPool ??= this.createPipelinedPool();
    const client = await this.pipelinedPool.connect();
    // The first statement that failed (those after it fail too: the transaction is aborted).
    const failed: { first?: { error: unknown } } = {};
    const send = <R extends QueryResultRow>({ text, values }: Statement): Promise<QueryResult<R>> => {
      const result = client.query<R>(text, values);
      result.catch((error: unknown) => (failed.first ??= { error }));
      return result;
    };
    const rethrow = (): void => {
      if (failed.first) throw failed.first.error;
    };
    let broken: Error | undefined;
    try {
      void send({ text: 'BEGIN' });
      void send(this.writer.lockStatement);
      const checkpoint = this.writer.lockedPosition(
        await send<{ position: string }>(this.writer.lockStatement),
      );
      rethrow();
      if (checkpoint !== prepared.after) {
        await send({ text: 'ROLLBACK' });
        return { kind: 'moved', position: checkpoint };
      }
      const [tasks, rest] = this.preparation.statements(prepared);
      if (this.options.afterTaskRows) {
        for (const statement of tasks) await send(statement);
        rethrow();
        await this.options.afterTaskRows({ events: prepared.events.length, position: prepared.position });
      } else {
        rest.unshift(...tasks);
      }
      for (const statement of rest) void send(statement);
      // After a failed statement the transaction is aborted, and COMMIT answers ROLLBACK.
      const committed = send({ text: 'COMMIT' });
      sending();
      await committed;
      rethrow();
      this.committed = prepared.position;
      return appliedAsPrepared(prepared);
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** One connection of the read model's pool settings, in pipeline mode, for pipelined batches. */
  private createPipelinedPool(): Pool {
    const pool = new Pool({ ...this.options.pool.options, max: 1, pipeline: true });
    return survivingConnectionLoss(pool, (error) =>
      this.logger.warn(`projector connection failed: ${describe(error)}`),
    );
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
    this.pipelines++;
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
      if (--this.pipelines === 0 && this.pipelinedPool) {
        const pool = this.pipelinedPool;
        this.pipelinedPool = undefined;
        await pool.end().catch(ignore);
      }
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

  /**
   * Applies a batch, retrying transient errors. When the database refuses the data itself, applies
   * the events one by one, and parks the one it refuses.
   */
  private async applyResiliently(
    events: RecordedEvent[],
    after: number,
    signal: AbortSignal | undefined,
  ): Promise<BatchOutcome> {
    try {
      return await this.retry.retrying(() => this.applyBatch(events, after), signal);
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (events.length === 1) return this.retry.retrying(() => this.park(events[0], error, after), signal);
      let outcome: BatchOutcome = applied(after);
      for (const event of events) {
        outcome = await this.applyResiliently([event], outcome.position, signal);
        if (outcome.kind === 'moved') return outcome;
      }
      return outcome;
    }
  }

  private async park(event: RecordedEvent, error: unknown, after: number): Promise<BatchOutcome> {
    const outcome = await this.inTransaction(async (client): Promise<BatchOutcome> => {
      const checkpoint = await this.writer.lockCheckpoint(client);
      if (checkpoint !== after) return { kind: 'moved', position: checkpoint };
      await this.writer.writeParked(client, [
        {
          position: event.position,
          stream_id: event.streamId,
          revision: event.revision,
          type: event.type,
          error: `refused by the database: ${describe(error)}`,
          recorded_at: event.recordedAt.toISOString(),
        },
      ]);
      await this.writer.setCheckpoint(client, event.position);
      return applied(event.position);
    });
    this.logger.error(
      `parked event ${event.position} (${event.type} of ${event.streamId}): ${describe(error)}`,
    );
    return outcome;
  }

  /** A batch's own transaction: committed if applied, rolled back if the checkpoint had moved. */
  private async inTransaction(work: (client: PoolClient) => Promise<BatchOutcome>): Promise<BatchOutcome> {
    const outcome = await inTransaction(this.options.pool, work, {
      commit: (outcome) => outcome.kind === 'applied',
    });
    this.committed = outcome.position;
    return outcome;
  }

  private async published(change: ReadModelChange): Promise<void> {
    if (!this.options.publish) return;
    try {
      await this.options.publish(change);
      if (this.publishFailing) this.logger.log(`publishing changes again from ${change.position}`);
      this.publishFailing = false;
    } catch (error) {
      // Once per outage, not once per batch; listeners re-read everything when they reconnect.
      if (!this.publishFailing)
        this.logger.warn(`could not publish change ${change.position}: ${describe(error)}`);
      this.publishFailing = true;
    }
  }
}
