import { Pool, type QueryResult, type QueryResultRow } from 'pg';
import { survivingConnectionLoss } from '../../database/connection-loss';
import { type BatchOutcome, appliedAsPrepared } from './batch-outcome';
import type { BatchPreparation, PreparedBatch } from './batch-preparation';
import type { ProjectorLogger, ProjectorOptions } from './projector-options';
import type { Statement } from '../read-model/statement';
import type { ReadModelWriter } from './read-model-writer';
import { describe } from './retry';

export interface PipelinedWriterParts {
  /** The read model's pool, whose settings the pipelined connection copies. */
  pool: Pool;
  writer: ReadModelWriter;
  preparation: BatchPreparation;
  logger: ProjectorLogger;
  afterTaskRows: ProjectorOptions['afterTaskRows'];
  /** Told the position of each batch it committed. */
  onCommitted: (position: number) => void;
}

const ignore = (): void => undefined;

/**
 * The fast way to write a prepared batch, in a transaction of its own on a connection in pipeline
 * mode: BEGIN and the checkpoint lock go out together, then (if the checkpoint is where the batch
 * follows on) every write and the COMMIT, without waiting for one statement before sending the next.
 * A batch costs about two round trips, however many statements it has.
 *
 * It does not use inTransaction (backend/src/database/transaction.ts), which awaits BEGIN, each
 * statement and COMMIT in turn: the round trips this write exists to save. On a failure it does what
 * that helper does (ROLLBACK; the client destroyed if that fails too) and throws; the pipeline then
 * applies the batch the careful way.
 */
export class PipelinedWriter {
  /** Opened for pipelined batches, closed when no pipeline runs. */
  private pool: Pool | undefined;
  private pipelines = 0;

  constructor(private readonly parts: PipelinedWriterParts) {}

  /** A pipeline starts: the connection stays open until the last one ends (close()). */
  open(): void {
    this.pipelines++;
  }

  async close(): Promise<void> {
    if (--this.pipelines === 0 && this.pool) {
      const pool = this.pool;
      this.pool = undefined;
      await pool.end().catch(ignore);
    }
  }

  /** Writes `prepared`. `sending`: called once its writes and COMMIT are on their way. */
  async write(prepared: PreparedBatch, sending: () => void): Promise<BatchOutcome> {
    const { writer, afterTaskRows } = this.parts;
    this.pool ??= this.createPool();
    const client = await this.pool.connect();
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
      void send(writer.lockStatement);
      const checkpoint = writer.lockedPosition(await send<{ position: string }>(writer.lockStatement));
      rethrow();
      if (checkpoint !== prepared.after) {
        await send({ text: 'ROLLBACK' });
        return { kind: 'moved', position: checkpoint };
      }
      const [tasks, rest] = this.parts.preparation.statements(prepared);
      if (afterTaskRows) {
        for (const statement of tasks) await send(statement);
        rethrow();
        await afterTaskRows({ events: prepared.events.length, position: prepared.position });
      } else {
        rest.unshift(...tasks);
      }
      for (const statement of rest) void send(statement);
      // After a failed statement the transaction is aborted, and COMMIT answers ROLLBACK.
      const committed = send({ text: 'COMMIT' });
      sending();
      await committed;
      rethrow();
      this.parts.onCommitted(prepared.position);
      return appliedAsPrepared(prepared);
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** One connection of the read model's pool settings, in pipeline mode, for pipelined batches. */
  private createPool(): Pool {
    const pool = new Pool({ ...this.parts.pool.options, max: 1, pipeline: true });
    return survivingConnectionLoss(pool, (error) =>
      this.parts.logger.warn(`projector connection failed: ${describe(error)}`),
    );
  }
}
