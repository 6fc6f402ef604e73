import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../../database/transaction';
import type { EventStore } from '../../event-store/event-store';
import {
  CHANGE_CHANNEL,
  MAX_NOTIFY_PAYLOAD_BYTES,
  type ReadModelChange,
  allChanged,
  encodeChange,
} from '../change-feed/change-feed';
import { Projector, type ProjectorLogger } from '../projector/projector';
import {
  READ_MODEL_PROJECTOR,
  READ_MODEL_SCHEMA,
  REBUILD_SCHEMA,
  createReadModelSchema,
  migrateReadModel,
  quoteIdentifier,
} from '../read-model/read-model-schema';

export interface RebuildProgress {
  /** The log position the new read model has reached. */
  position: number;
  /** The log's head when this round started (it moves while the system runs). */
  head: number;
  /** Events applied so far. */
  events: number;
}

export interface RebuildOptions {
  pool: Pool;
  store: EventStore;
  batchSize?: number;
  onProgress?: (progress: RebuildProgress) => void;
  /** Also hands the final `all` change here (e.g. Redis PUBLISH); NOTIFY is sent anyway. */
  publish?: (change: ReadModelChange) => Promise<void>;
  logger?: ProjectorLogger;
  signal?: AbortSignal;
}

export interface RebuildResult {
  events: number;
  /** The checkpoint of the read model swapped in. */
  position: number;
  elapsedMs: number;
}

/** Rounds of catching up before the swap, which applies what is left while it holds the lock. */
const MAX_CATCH_UP_ROUNDS = 5;
/** Another rebuild holds this (session) advisory lock. */
export const REBUILD_LOCK = 'kairos-read-model-rebuild';

/**
 * Rebuilds the read model from position 0 into a fresh schema while the live one keeps answering,
 * then swaps it in. The swap runs in one transaction that holds the live checkpoint's row lock (so
 * the live projector is between batches and waits), applies the last events, renames the schemas and
 * sends `{ all: true }`. The live projector then finds its checkpoint moved and follows on from the
 * new one. The retired schema is dropped afterwards.
 */
export async function rebuildReadModel(options: RebuildOptions): Promise<RebuildResult> {
  const { pool, store } = options;
  const started = Date.now();
  const batchSize = options.batchSize ?? 1000;
  const guard = await pool.connect();
  try {
    const { rows } = await guard.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
      [REBUILD_LOCK],
    );
    if (!rows[0].locked) throw new Error('another rebuild of the read model is running');
    await migrateReadModel(pool);
    await inTransaction(pool, (client) => createReadModelSchema(client, REBUILD_SCHEMA));

    const projector = new Projector({
      pool,
      store,
      schema: REBUILD_SCHEMA,
      notify: false,
      batchSize,
      maxBatchSize: batchSize,
      logger: options.logger,
    });
    let events = 0;
    // Catch up in rounds while the log grows, until a round finds only a short tail (or enough rounds
    // passed: the swap applies the rest, up to the head it finds, and the live projector the remainder).
    for (let round = 1; ; round++) {
      const head = await store.headPosition();
      const before = events;
      await projector.catchUp({
        until: head,
        signal: options.signal,
        onBatch: (position, count) => {
          events += count;
          options.onProgress?.({ position, head, events });
        },
      });
      if (options.signal?.aborted) throw new Error('rebuild aborted');
      if (events - before <= 2 * batchSize || round >= MAX_CATCH_UP_ROUNDS) break;
    }

    const { position, tail, retired } = await inTransaction(pool, (client) =>
      swap(client, projector, store, batchSize),
    );
    // Waits for any reader still in the old tables.
    await pool.query(`DROP SCHEMA ${quoteIdentifier(retired)} CASCADE`);
    events += tail;
    options.onProgress?.({ position, head: position, events });
    await options.publish?.(allChanged(position)).catch((error: Error) => {
      options.logger?.warn(`could not publish the rebuild's change: ${error.message}`);
    });
    return { events, position, elapsedMs: Date.now() - started };
  } finally {
    await guard.query('SELECT pg_advisory_unlock(hashtext($1))', [REBUILD_LOCK]).catch(() => undefined);
    guard.release();
  }
}

async function swap(
  client: PoolClient,
  projector: Projector,
  store: EventStore,
  batchSize: number,
): Promise<{ position: number; tail: number; retired: string }> {
  const live = quoteIdentifier(READ_MODEL_SCHEMA);
  await client.query(`SELECT position FROM ${live}.checkpoints WHERE projector = $1 FOR UPDATE`, [
    READ_MODEL_PROJECTOR,
  ]);
  const { rows } = await client.query<{ position: string }>(
    `SELECT position FROM ${quoteIdentifier(REBUILD_SCHEMA)}.checkpoints WHERE projector = $1`,
    [READ_MODEL_PROJECTOR],
  );
  let position = Number(rows[0].position);
  let tail = 0;
  // Up to the head as it is now; what comes after is the live projector's, from the new checkpoint.
  const head = await store.headPosition();
  while (position < head) {
    const page = await store.readAll({ after: position, maxCount: batchSize });
    if (page.length === 0) break;
    const events = page.filter((event) => event.position <= head);
    if (events.length === 0) break;
    const outcome = await projector.applyInTransaction(client, events, position);
    if (outcome.kind === 'moved') throw new Error(`the rebuild's checkpoint moved to ${outcome.position}`);
    position = outcome.position;
    tail += events.length;
  }
  const retired = `${READ_MODEL_SCHEMA}_retired_${Date.now()}`;
  await client.query(`ALTER SCHEMA ${live} RENAME TO ${quoteIdentifier(retired)}`);
  await client.query(`ALTER SCHEMA ${quoteIdentifier(REBUILD_SCHEMA)} RENAME TO ${live}`);
  await client.query('SELECT pg_notify($1, $2)', [
    CHANGE_CHANNEL,
    encodeChange(allChanged(position), MAX_NOTIFY_PAYLOAD_BYTES),
  ]);
  return { position, tail, retired };
}
