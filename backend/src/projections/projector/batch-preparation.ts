import type { Pool, PoolClient } from 'pg';
import type { EventStore, RecordedEvent } from '../../event-store/event-store';
import { readTaskBase } from '../../tasks/task-stream-fold';
import {
  CHANGE_CHANNEL,
  MAX_NOTIFY_PAYLOAD_BYTES,
  encodeChange,
  type ReadModelChange,
} from '../change-feed/change-feed';
import {
  type LoadedTask,
  type ProjectedBatch,
  projectEvents,
  taskIdOfStream,
  tasksOfBatch,
} from './project-events';
import type { Statement } from '../read-model/statement';
import type { EncodedBatch, ReadModelWriter } from './read-model-writer';
import type { Retry } from './retry';

/**
 * A batch loaded and folded ahead of its transaction (while the batch before it is being written):
 * valid if, when its transaction locks the checkpoint, the checkpoint is `after`.
 */
export interface PreparedBatch {
  events: RecordedEvent[];
  /** The checkpoint this batch follows. */
  after: number;
  position: number;
  projected: ProjectedBatch;
  /** Its rows, ready to send. Tasks whose stream starts in this batch are inserted, not loaded. */
  encoded: EncodedBatch;
  /** Each touched task's row once this batch commits (null: none): what the next batch starts from. */
  rowsAfter: Map<string, LoadedTask | null>;
}

/**
 * Turns a batch of events into what its transaction sends: loads the rows its tasks start from (or a
 * stream's base, where retention cut it), folds the events onto them (projectEvents, pure), encodes
 * the rows, and lists the statements. BatchPipeline prepares a batch ahead, while the one before it
 * is written; CarefulWriter prepares it under the checkpoint's lock.
 */
export class BatchPreparation {
  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly writer: ReadModelWriter,
    /** NOTIFY each batch's change on CHANGE_CHANNEL from its transaction. */
    private readonly notify: boolean,
    private readonly retry: Retry,
  ) {}

  /**
   * Loads the rows a batch starts from and folds its events, outside any transaction: tasks new in
   * the batch are not loaded, and those the batch in flight writes start from its rows (`carried`).
   * Valid if the checkpoint is `after` when the batch's transaction locks it: rows are a function of
   * the log up to the checkpoint, and every row not carried is already committed.
   */
  async prepare(
    events: RecordedEvent[],
    after: number,
    carried: ReadonlyMap<string, LoadedTask | null> | undefined,
    signal: AbortSignal | undefined,
  ): Promise<PreparedBatch> {
    const { fresh, existing } = tasksOfBatch(events);
    const load = carried ? existing.filter((taskId) => !carried.has(taskId)) : existing;
    const loaded =
      load.length === 0
        ? new Map<string, LoadedTask>()
        : await this.retry.retrying(async () => {
            const client = await this.pool.connect();
            try {
              const rows = await this.writer.loadTasks(client, load);
              await this.loadBases(rows, load, events);
              return rows;
            } finally {
              client.release();
            }
          }, signal);
    if (carried && load.length < existing.length) {
      for (const taskId of existing) {
        const row = carried.get(taskId);
        if (row) loaded.set(taskId, row);
      }
    }
    return this.project(events, after, loaded, new Set(fresh));
  }

  /**
   * Loads the rows a batch starts from on the caller's client, under the checkpoint's lock, and folds
   * its events: for CarefulWriter, which assumes nothing prepared ahead. Every task's row is loaded
   * here, under the lock: no task is taken for new.
   */
  async prepareUnderLock(client: PoolClient, events: RecordedEvent[], after: number): Promise<PreparedBatch> {
    const { fresh, existing } = tasksOfBatch(events);
    const loaded = await this.writer.loadTasks(client, [...existing, ...fresh]);
    await this.loadBases(loaded, existing, events);
    return this.project(events, after, loaded, new Set());
  }

  /** A prepared batch's statements: those of its task rows, then the rest (checkpoint and NOTIFY too). */
  statements({ projected, encoded, position }: PreparedBatch): [Statement[], Statement[]] {
    const rest = [
      ...this.writer.restStatements(projected, encoded),
      this.writer.checkpointStatement(position),
    ];
    if (this.notify) {
      const change = changeOf({ projected, position });
      rest.push({
        text: 'SELECT pg_notify($1, $2)',
        values: [CHANGE_CHANNEL, encodeChange(change, MAX_NOTIFY_PAYLOAD_BYTES)],
      });
    }
    return [this.writer.taskStatements(encoded), rest];
  }

  /**
   * Tasks of `taskIds` without a row whose stream, in this batch, starts after revision 0: retention
   * cut it (ADR 012), so they start from its base (what a rebuild from the kept log meets).
   */
  private async loadBases(
    loaded: Map<string, LoadedTask>,
    taskIds: readonly string[],
    events: readonly RecordedEvent[],
  ): Promise<void> {
    const missing = new Set(taskIds.filter((taskId) => !loaded.has(taskId)));
    if (missing.size === 0) return;
    const starts = new Map<string, number>();
    for (const event of events) {
      const taskId = taskIdOfStream(event.streamId);
      if (taskId === null || !missing.has(taskId)) continue;
      missing.delete(taskId);
      if (event.revision > 0) starts.set(taskId, event.revision);
    }
    for (const [taskId, first] of starts) {
      const base = await readTaskBase(this.store, taskId);
      // Only a base the batch follows on from: a row lost mid-stream is not rebuilt from a base that
      // would skip the events between them.
      if (base && first <= base.revision + 1) {
        loaded.set(taskId, {
          state: base.state,
          revision: base.revision,
          changedRevision: base.changedRevision,
          basePosition: base.position,
        });
      }
    }
  }

  /** Folds a batch's events onto its loaded rows and encodes the rows to write. */
  private project(
    events: RecordedEvent[],
    after: number,
    loaded: Map<string, LoadedTask>,
    fresh: ReadonlySet<string>,
  ): PreparedBatch {
    const projected = projectEvents(loaded, events);
    const rowsAfter = new Map<string, LoadedTask | null>();
    for (const [taskId, row] of loaded) rowsAfter.set(taskId, row);
    for (const taskId of fresh) rowsAfter.set(taskId, null);
    for (const row of projected.tasks)
      rowsAfter.set(row.task_id, {
        state: row.state,
        revision: row.revision,
        changedRevision: row.changed_revision,
      });
    const encoded = this.writer.encode(projected, fresh);
    return { events, after, position: events[events.length - 1].position, projected, encoded, rowsAfter };
  }
}

/** What a batch changed, for the change feed. */
export function changeOf({
  projected,
  position,
}: Pick<PreparedBatch, 'projected' | 'position'>): ReadModelChange {
  return {
    position,
    buckets: projected.buckets,
    tasks: projected.changedTasks,
    executions: projected.changedExecutions,
  };
}
