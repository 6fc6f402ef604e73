import { Logger } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { EventStore, RecordedEvent } from '../../../backend/src/event-store/event-store';
import {
  CHANGE_CHANNEL,
  MAX_NOTIFY_PAYLOAD_BYTES,
  type ReadModelChange,
  encodeChange,
} from '../change-feed/change-feed';
import { READ_MODEL_PROJECTOR, READ_MODEL_SCHEMA } from '../read-model/read-model-schema';
import { type ParkedEvent, projectEvents, taskIdOfStream } from './project-events';
import { ReadModelWriter } from './read-model-writer';

export interface ProjectorLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ProjectorOptions {
  pool: Pool;
  store: EventStore;
  /** The schema to project into: the live read model, or a rebuild's. */
  schema?: string;
  /** Most events applied in one transaction. */
  batchSize?: number;
  /** NOTIFY each change on CHANGE_CHANNEL from its batch's transaction; default: for the live schema. */
  notify?: boolean;
  /** Also hands each committed change here (e.g. Redis PUBLISH); its failures are only logged. */
  publish?: (change: ReadModelChange) => Promise<void>;
  logger?: ProjectorLogger;
  /** First delay after a transient error; it doubles up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Fault injection for tests: runs inside each batch's transaction once the task rows are written. */
  afterTaskRows?: (batch: { events: number; position: number }) => Promise<void> | void;
}

/** A batch's result. `moved`: the checkpoint is not where this projector thought; follow from there. */
export type BatchOutcome =
  | { kind: 'applied'; position: number; change: ReadModelChange; parked: ParkedEvent[] }
  | { kind: 'moved'; position: number };

const IDLE = Symbol('idle');
const idle = (): Promise<typeof IDLE> => new Promise((resolve) => setImmediate(() => resolve(IDLE)));
const ignore = (): void => undefined;

/**
 * Follows the event log into the read model: in global order, in batches of up to `batchSize` events
 * (or whatever is available now), one transaction per batch with the checkpoint in it, so a crash
 * replays at most the batch that did not commit. An event that cannot be applied is parked
 * (read_model.parked_events) and the projector goes on; transient database errors are retried with a
 * capped exponential backoff until they pass or the projector stops.
 */
export class Projector {
  readonly schema: string;
  private readonly batchSize: number;
  private readonly writer: ReadModelWriter;
  private readonly notify: boolean;
  private readonly logger: ProjectorLogger;
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;
  private committed = 0;

  constructor(private readonly options: ProjectorOptions) {
    this.schema = options.schema ?? READ_MODEL_SCHEMA;
    this.batchSize = options.batchSize ?? 500;
    this.writer = new ReadModelWriter(this.schema, READ_MODEL_PROJECTOR);
    this.notify = options.notify ?? this.schema === READ_MODEL_SCHEMA;
    this.logger = options.logger ?? new Logger('projector');
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
   * Applies the log from the checkpoint up to `until` (default: the head now) page by page, and
   * returns the checkpoint reached. For rebuilds and tests; the live projector follows instead.
   */
  async catchUp(
    options: {
      until?: number;
      signal?: AbortSignal;
      onBatch?: (position: number, events: number) => void;
    } = {},
  ): Promise<number> {
    const until = options.until ?? (await this.options.store.headPosition());
    let after = await this.retrying(() => this.readCheckpoint(), options.signal);
    while (after < until && !options.signal?.aborted) {
      const page = await this.retrying(
        () => this.options.store.readAll({ after, maxCount: this.batchSize }),
        options.signal,
      );
      if (page.length === 0) break;
      const outcome = await this.applyResiliently(page, after, options.signal);
      after = outcome.position;
      options.onBatch?.(after, outcome.kind === 'applied' ? page.length : 0);
    }
    return after;
  }

  /** Applies events (all those after `after`, in order) in one transaction of its own. */
  async applyBatch(events: RecordedEvent[], after: number): Promise<BatchOutcome> {
    const outcome = await this.inTransaction((client) => this.applyInTransaction(client, events, after));
    if (outcome.kind === 'applied') {
      for (const { position, type, stream_id, error } of outcome.parked) {
        this.logger.error(`parked event ${position} (${type} of ${stream_id}): ${error}`);
      }
      await this.published(outcome.change);
    }
    return outcome;
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
    const position = events[events.length - 1].position;
    const taskIds = [...new Set(events.map((e) => taskIdOfStream(e.streamId)).filter((id) => id !== null))];
    const batch = projectEvents(await this.writer.loadTasks(client, taskIds), events);
    await this.writer.writeTasks(client, batch);
    await this.options.afterTaskRows?.({ events: events.length, position });
    await this.writer.writeRest(client, batch);
    await this.writer.setCheckpoint(client, position);
    const change: ReadModelChange = {
      position,
      buckets: batch.buckets,
      tasks: batch.changedTasks,
      executions: batch.changedExecutions,
    };
    if (this.notify) {
      await client.query('SELECT pg_notify($1, $2)', [
        CHANGE_CHANNEL,
        encodeChange(change, MAX_NOTIFY_PAYLOAD_BYTES),
      ]);
    }
    return { kind: 'applied', position, change, parked: batch.parked };
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
        await sleep(this.backoff(failures++), signal);
      }
    }
  }

  /** Follows the log from `after` until the projector stops or the checkpoint moved elsewhere. */
  private async follow(after: number, signal: AbortSignal): Promise<number> {
    const subscription = this.options.store.subscribeToAll({ after, signal, pageSize: this.batchSize });
    const iterator = subscription[Symbol.asyncIterator]();
    const pull = (): Promise<IteratorResult<RecordedEvent>> => {
      const next = iterator.next();
      next.catch(ignore); // awaited below; this only keeps an early rejection from going unhandled
      return next;
    };
    let pending = pull();
    try {
      for (;;) {
        const first = await pending;
        if (first.done) return after;
        const batch = [first.value];
        pending = pull();
        while (batch.length < this.batchSize) {
          const next = await Promise.race([pending, idle()]);
          if (next === IDLE || next.done) break;
          batch.push(next.value);
          pending = pull();
        }
        const outcome = await this.applyResiliently(batch, after, signal);
        after = outcome.position;
        if (outcome.kind === 'moved') {
          this.logger.warn(
            `the checkpoint moved to ${after} (another projector, or a rebuild): following on`,
          );
          return after;
        }
      }
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
      return await this.retrying(() => this.applyBatch(events, after), signal);
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (events.length === 1) return this.retrying(() => this.park(events[0], error, after), signal);
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

  private async inTransaction(work: (client: PoolClient) => Promise<BatchOutcome>): Promise<BatchOutcome> {
    const client = await this.options.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const outcome = await work(client);
      await client.query(outcome.kind === 'applied' ? 'COMMIT' : 'ROLLBACK');
      this.committed = outcome.position;
      return outcome;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private async published(change: ReadModelChange): Promise<void> {
    if (!this.options.publish) return;
    try {
      await this.options.publish(change);
    } catch (error) {
      this.logger.warn(`could not publish change ${change.position}: ${describe(error)}`);
    }
  }

  /** Runs `work` until it succeeds, waiting between transient failures; data errors go to the caller. */
  private async retrying<T>(work: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    for (let failures = 0; ; failures++) {
      try {
        return await work();
      } catch (error) {
        if (isDataError(error) || signal?.aborted) throw error;
        const delayMs = this.backoff(failures);
        this.logger.warn(`read model unavailable, retrying in ${delayMs} ms: ${describe(error)}`);
        await sleep(delayMs, signal);
        if (signal?.aborted) throw error;
      }
    }
  }

  private backoff(failures: number): number {
    const first = this.options.retryDelayMs ?? 100;
    return Math.min(first * 2 ** failures, this.options.maxRetryDelayMs ?? 10_000);
  }
}

/**
 * PostgreSQL refused the data itself (SQLSTATE class 22, data exception, or 23, integrity constraint
 * violation): retrying cannot help. Everything else (connection loss, shutdown, deadlock,
 * serialization) may pass and is retried.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}

/** A batch that changed no rows (or only parked an event). */
function applied(position: number): BatchOutcome {
  return {
    kind: 'applied',
    position,
    change: { position, buckets: [], tasks: [], executions: [] },
    parked: [],
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
