import { Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { RecordedEvent } from '../../event-store/event-store';
import { READ_MODEL_PROJECTOR, READ_MODEL_SCHEMA } from '../read-model/read-model-schema';
import type { BatchOutcome } from './batch-outcome';
import { BatchPipeline } from './batch-pipeline';
import { BatchPreparation } from './batch-preparation';
import { CarefulWriter } from './careful-write';
import { catchUpPages } from './catch-up-pages';
import { ChangePublisher } from './change-publisher';
import { liveBatches } from './live-batches';
import { PipelinedWriter } from './pipelined-write';
import type { ProjectorLogger, ProjectorOptions } from './projector-options';
import { ReadModelWriter } from './read-model-writer';
import { Retry, describe, sleep } from './retry';

// Moved to files of their own; exported here still, as part of the projector's public face.
export type { BatchOutcome } from './batch-outcome';
export type { ProjectorLogger, ProjectorOptions } from './projector-options';
export { isDataError } from './retry';

/**
 * Follows the event log into the read model: in global order, in batches of up to `batchSize` events
 * (or whatever is available now; growing to `maxBatchSize` while behind), one transaction per batch
 * with the checkpoint in it, so a crash replays at most the batch that did not commit. Batches are
 * pipelined: while one is written, the next is read, its rows loaded and its events folded. An event
 * that cannot be applied is parked (read_model.parked_events) and the projector goes on; transient
 * database errors are retried with a capped exponential backoff until they pass or the projector stops.
 *
 * This class is the projector's public face and its life cycle (start, stop, resuming from the
 * checkpoint after an interruption); the work is done by its parts: liveBatches and catchUpPages
 * (where batches come from), BatchPipeline (overlapping batches), BatchPreparation (rows loaded,
 * events folded), PipelinedWriter and CarefulWriter (the two ways to write a batch), ChangePublisher
 * (after a commit) and Retry (transient errors).
 */
export class Projector {
  readonly schema: string;
  private readonly batchSize: number;
  private readonly maxBatchSize: number;
  private readonly writer: ReadModelWriter;
  private readonly logger: ProjectorLogger;
  private readonly retry: Retry;
  private readonly careful: CarefulWriter;
  private readonly pipeline: BatchPipeline;
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
    const preparation = new BatchPreparation(options.pool, options.store, this.writer, notify, this.retry);
    const publisher = new ChangePublisher(this.logger, options.publish);
    const parts = {
      pool: options.pool,
      writer: this.writer,
      preparation,
      logger: this.logger,
      afterTaskRows: options.afterTaskRows,
    };
    this.careful = new CarefulWriter({
      ...parts,
      retry: this.retry,
      publisher,
      onCheckpoint: (position) => (this.committed = position),
    });
    const pipelined = new PipelinedWriter({
      ...parts,
      onCommitted: (position) => (this.committed = position),
    });
    this.pipeline = new BatchPipeline(preparation, pipelined, this.careful, publisher);
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
    const { store } = this.options;
    const until = options.until ?? (await store.headPosition());
    const after = await this.retry.retrying(() => this.readCheckpoint(), signal);
    const next = catchUpPages({
      store,
      retry: this.retry,
      after,
      until,
      maxCount: this.maxBatchSize,
      signal,
    });
    const outcome = await this.pipeline.run(after, signal, next, (written) =>
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

  /** Follows the log until stopped; after an error, waits (backing off) and resumes from the checkpoint. */
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
    const batches = liveBatches({
      store: this.options.store,
      after,
      signal,
      batchSize: this.batchSize,
      maxBatchSize: this.maxBatchSize,
      yieldTo: this.options.yieldTo,
    });
    try {
      const outcome = await this.pipeline.run(after, signal, batches.next);
      if (outcome.kind === 'moved') {
        this.logger.warn(
          `the checkpoint moved to ${outcome.position} (another projector, or a rebuild): following on`,
        );
      }
      return outcome.position;
    } finally {
      batches.close();
    }
  }
}
