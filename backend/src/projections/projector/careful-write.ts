import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../../database/transaction';
import type { RecordedEvent } from '../../event-store/event-store';
import { type BatchOutcome, applied, appliedAsPrepared } from './batch-outcome';
import type { BatchPreparation, PreparedBatch } from './batch-preparation';
import type { ChangePublisher } from './change-publisher';
import type { ProjectorLogger, ProjectorOptions } from './projector-options';
import type { ReadModelWriter } from './read-model-writer';
import { type Retry, describe, isDataError } from './retry';

export interface CarefulWriterParts {
  pool: Pool;
  writer: ReadModelWriter;
  preparation: BatchPreparation;
  retry: Retry;
  publisher: ChangePublisher;
  logger: ProjectorLogger;
  afterTaskRows: ProjectorOptions['afterTaskRows'];
  /** Told the checkpoint each of its transactions ended at: the batch's position, or where it moved. */
  onCheckpoint: (position: number) => void;
}

/**
 * The careful way to apply a batch, where the pipelined write takes shortcuts: the checkpoint locked
 * first, every row loaded under that lock, one statement at a time, in a transaction of its own
 * (inTransaction) or the caller's (a rebuild's swap). Transient errors are retried; when the database
 * refuses the data itself, the batch is applied event by event down to the one it refuses, which is
 * parked (read_model.parked_events) so that the projector goes on. The pipeline falls back on this
 * whenever a pipelined write fails.
 */
export class CarefulWriter {
  constructor(private readonly parts: CarefulWriterParts) {}

  /** Applies events (all those after `after`, in order) in one transaction of its own. */
  async applyBatch(events: RecordedEvent[], after: number): Promise<BatchOutcome> {
    const outcome = await this.transaction((client) => this.applyInTransaction(client, events, after));
    await this.parts.publisher.afterCommit(outcome);
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
    const checkpoint = await this.parts.writer.lockCheckpoint(client);
    if (checkpoint !== after) return { kind: 'moved', position: checkpoint };
    if (events.length === 0) return applied(after);
    return this.write(client, await this.parts.preparation.prepareUnderLock(client, events, after));
  }

  /**
   * Applies a batch, retrying transient errors. When the database refuses the data itself, applies
   * the events one by one, and parks the one it refuses.
   */
  async applyResiliently(
    events: RecordedEvent[],
    after: number,
    signal: AbortSignal | undefined,
  ): Promise<BatchOutcome> {
    const { retry } = this.parts;
    try {
      return await retry.retrying(() => this.applyBatch(events, after), signal);
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (events.length === 1) return retry.retrying(() => this.park(events[0], error, after), signal);
      let outcome: BatchOutcome = applied(after);
      for (const event of events) {
        outcome = await this.applyResiliently([event], outcome.position, signal);
        if (outcome.kind === 'moved') return outcome;
      }
      return outcome;
    }
  }

  /** Writes a prepared batch in the caller's transaction, once the checkpoint lock confirmed it. */
  private async write(client: PoolClient, prepared: PreparedBatch): Promise<BatchOutcome> {
    const [tasks, rest] = this.parts.preparation.statements(prepared);
    for (const { text, values } of tasks) await client.query(text, values);
    await this.parts.afterTaskRows?.({ events: prepared.events.length, position: prepared.position });
    for (const { text, values } of rest) await client.query(text, values);
    return appliedAsPrepared(prepared);
  }

  private async park(event: RecordedEvent, error: unknown, after: number): Promise<BatchOutcome> {
    const { writer } = this.parts;
    const outcome = await this.transaction(async (client): Promise<BatchOutcome> => {
      const checkpoint = await writer.lockCheckpoint(client);
      if (checkpoint !== after) return { kind: 'moved', position: checkpoint };
      await writer.writeParked(client, [
        {
          position: event.position,
          stream_id: event.streamId,
          revision: event.revision,
          type: event.type,
          error: `refused by the database: ${describe(error)}`,
          recorded_at: event.recordedAt.toISOString(),
        },
      ]);
      await writer.setCheckpoint(client, event.position);
      return applied(event.position);
    });
    this.parts.logger.error(
      `parked event ${event.position} (${event.type} of ${event.streamId}): ${describe(error)}`,
    );
    return outcome;
  }

  /** A batch's own transaction: committed if applied, rolled back if the checkpoint had moved. */
  private async transaction(work: (client: PoolClient) => Promise<BatchOutcome>): Promise<BatchOutcome> {
    const outcome = await inTransaction(this.parts.pool, work, {
      commit: (outcome) => outcome.kind === 'applied',
    });
    this.parts.onCheckpoint(outcome.position);
    return outcome;
  }
}
