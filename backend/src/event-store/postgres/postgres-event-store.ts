import { join } from 'node:path';
import { Pool, type PoolConfig } from 'pg';
import { migrate } from '../../database/migrate';
import { survivingConnectionLoss } from '../../database/connection-loss';
import { PgListener } from '../../database/pg-listener';
import { inTransaction } from '../../database/transaction';
import { AppendCoalescer } from './append-coalescer';
import {
  type AppendResult,
  type BatchAppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type StreamBase,
  type SubscribeOptions,
  type TruncateOptions,
  DEFAULT_READ_ALL_MAX_COUNT,
  WrongExpectedRevisionError,
} from '../event-store';
import { assertValidAppend, assertValidBatch, assertValidTruncation, readsNothing } from '../argument-checks';

const NOTIFY_CHANNEL = 'event_store_appended';
/** Subscribers also poll this often, in case a notification is lost with its connection. */
const SAFETY_POLL_MS = 1000;

interface EventRow {
  position: string;
  stream_id: string;
  revision: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

/** One stream's answer from append_streams: index, ok, actual revision, next revision, last position. */
type AppendResultRow = [number, boolean, number | null, number | null, number | null];

export interface PostgresEventStoreOptions {
  /** How many group-commit batches of single appends may be in flight at once (default 1). */
  appendBatchesInFlight?: number;
}

/**
 * The embedded default event store, on PostgreSQL. Appends run in one server-side function
 * (event_store.append_streams, see migrations/002) so that each append is one round trip and one commit;
 * concurrent single appends share one (group commit, append-coalescer.ts).
 */
export class PostgresEventStore implements EventStore {
  private readonly listener: PgListener;
  private readonly coalescer: AppendCoalescer;
  /** Bumped on every append notification; subscribers compare it to know they missed nothing. */
  private appendGeneration = 0;
  private readonly waiters = new Set<() => void>();
  private listening: Promise<unknown> | undefined;
  private closed = false;

  private constructor(
    readonly pool: Pool,
    listenerConfig: PoolConfig,
    private readonly ownsPool: boolean,
    options: PostgresEventStoreOptions,
  ) {
    this.listener = new PgListener(listenerConfig);
    this.coalescer = new AppendCoalescer(
      (appends) => this.appendMany(appends),
      options.appendBatchesInFlight,
    );
    // A pooled connection that dies (server restart, shutdown) must not crash the process; the pool
    // replaces it and the next query reports any real problem.
    survivingConnectionLoss(pool);
  }

  /** Connects, applies the event store's migrations, and returns a ready store. */
  static async connect(
    config: PoolConfig | string,
    pool?: Pool,
    options: PostgresEventStoreOptions = {},
  ): Promise<PostgresEventStore> {
    const poolConfig: PoolConfig = typeof config === 'string' ? { connectionString: config } : config;
    const store = new PostgresEventStore(
      pool ?? new Pool({ max: 20, ...poolConfig }),
      poolConfig,
      !pool,
      options,
    );
    await migrate(store.pool, 'event-store', join(__dirname, 'migrations'));
    return store;
  }

  /** A store that has not connected (nor migrated): for tools that build the app only to describe it. */
  static unconnected(databaseUrl: string): PostgresEventStore {
    const config = { connectionString: databaseUrl };
    return new PostgresEventStore(new Pool({ ...config, max: 1 }), config, true, {});
  }

  async append(
    streamId: string,
    events: NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    // Refuse a malformed append here, alone, rather than failing the batch it would join.
    assertValidAppend(streamId, events, expectedRevision);
    return this.coalescer.append({ streamId, events, expectedRevision });
  }

  async appendMany(appends: StreamAppend[]): Promise<BatchAppendResult[]> {
    if (appends.length === 0) return [];
    assertValidBatch(appends);
    const streamIds = new Array<string>(appends.length);
    const expected = new Array<number>(appends.length);
    const counts = new Array<number>(appends.length);
    const types: string[] = [];
    const data: unknown[] = [];
    const metadata: (Record<string, unknown> | null)[] = [];
    for (let i = 0; i < appends.length; i++) {
      const { streamId, events, expectedRevision } = appends[i];
      streamIds[i] = streamId;
      expected[i] = encodeExpected(expectedRevision);
      counts[i] = events.length;
      for (const event of events) {
        types.push(event.type);
        data.push(event.data);
        metadata.push(event.metadata ?? null);
      }
    }
    // One round trip and one commit. The payloads travel as one JSON text each (one stringify here),
    // not as arrays of JSON texts, which the driver would escape element by element. The answer is one
    // row too: a JSON array of [stream index, ok, actual revision, next revision, last position] per
    // stream, one JSON.parse rather than a thousand rows through the driver's row parser.
    const { rows } = await this.pool.query<{ results: AppendResultRow[] }>(
      `SELECT json_agg(json_build_array(stream_index, ok, actual_revision, next_revision, last_position)
         ORDER BY stream_index) AS results
       FROM event_store.append_streams($1, $2, $3, $4, $5, $6)`,
      [
        textArrayLiteral(streamIds),
        `{${expected.join(',')}}`,
        `{${counts.join(',')}}`,
        textArrayLiteral(types),
        jsonParam(data),
        jsonParam(metadata),
      ],
    );
    const answered = rows[0].results;
    const results = new Array<BatchAppendResult>(answered.length);
    for (let i = 0; i < answered.length; i++) {
      const [index, ok, actualRevision, nextRevision, lastPosition] = answered[i];
      const { streamId, expectedRevision } = appends[index];
      results[i] = ok
        ? { streamId, ok: true, nextRevision: Number(nextRevision), position: Number(lastPosition) }
        : {
            streamId,
            ok: false,
            error: new WrongExpectedRevisionError(streamId, expectedRevision, Number(actualRevision)),
          };
    }
    return results;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const query = readStreamQuery(streamId, options);
    if (!query) return [];
    const { rows } = await this.pool.query<EventRow>(query);
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    // Safe without any visibility check: positions become visible in allocation order (ADR 002).
    const { rows } = await this.pool.query<EventRow>(
      `SELECT * FROM event_store.events WHERE position > $1 ORDER BY position LIMIT $2`,
      [options.after ?? 0, options.maxCount ?? DEFAULT_READ_ALL_MAX_COUNT],
    );
    return rows.map(toRecordedEvent);
  }

  async headPosition(): Promise<number> {
    const { rows } = await this.pool.query<{ head: string | null }>(
      'SELECT max(position) AS head FROM event_store.events',
    );
    return Number(rows[0].head ?? 0);
  }

  async truncateStream(streamId: string, { throughRevision, base }: TruncateOptions): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      // The stream's row lock: appends to it wait, so its last revision cannot move under the check.
      const { rows } = await client.query<{ revision: string; base_revision: string | null }>(
        `SELECT s.revision, b.revision AS base_revision FROM event_store.streams AS s
           LEFT JOIN event_store.stream_bases AS b USING (stream_id)
          WHERE s.stream_id = $1 FOR UPDATE OF s`,
        [streamId],
      );
      const row = rows[0];
      assertValidTruncation(streamId, throughRevision, row && Number(row.revision));
      if (row.base_revision === null || Number(row.base_revision) < throughRevision) {
        await client.query(
          `INSERT INTO event_store.stream_bases (stream_id, revision, base, truncated_at)
           VALUES ($1, $2, $3, now())
           ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, base = excluded.base,
             truncated_at = excluded.truncated_at`,
          [streamId, throughRevision, JSON.stringify(base)],
        );
        await client.query('DELETE FROM event_store.events WHERE stream_id = $1 AND revision <= $2', [
          streamId,
          throughRevision,
        ]);
      }
    });
  }

  async readStreamBase(streamId: string): Promise<StreamBase | undefined> {
    const { rows } = await this.pool.query<{ revision: string; base: unknown; truncated_at: Date }>(
      'SELECT revision, base, truncated_at FROM event_store.stream_bases WHERE stream_id = $1',
      [streamId],
    );
    const row = rows[0];
    return row && { revision: Number(row.revision), base: row.base, truncatedAt: row.truncated_at };
  }

  async *subscribeToAll(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    const { signal, pageSize = 500, settleMs = 0 } = options;
    let after = options.after ?? 0;
    await this.startListening();
    while (!signal?.aborted && !this.closed) {
      const generation = this.appendGeneration;
      const readAt = Date.now();
      const page = await this.readAll({ after, maxCount: pageSize });
      for (const event of page) {
        if (signal?.aborted || this.closed) return;
        yield event;
        after = event.position;
      }
      if (page.length < pageSize) {
        // Caught up: wait for an append, then read no sooner than settleMs after the last read.
        if (generation === this.appendGeneration) await this.waitForAppend(signal);
        const settle = readAt + settleMs - Date.now();
        if (settle > 0) await new Promise((resolve) => setTimeout(resolve, settle));
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiters) wake();
    await this.listener.close();
    if (this.ownsPool) await this.pool.end();
  }

  private startListening(): Promise<unknown> {
    this.listening ??= this.listener.listen(NOTIFY_CHANNEL, () => {
      this.appendGeneration++;
      for (const wake of this.waiters) wake();
    });
    return this.listening;
  }

  /** Resolves on the next append notification, the safety poll, or abort. */
  private waitForAppend(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, SAFETY_POLL_MS);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

/**
 * The SQL of a stream read; null when it can return nothing. Both directions are a range scan of the
 * (stream_id, revision) index, forwards or backwards, that stops after maxCount rows or at toRevision:
 * a page costs the same on a stream of any length (a test checks the plan).
 */
export function readStreamQuery(
  streamId: string,
  options: ReadStreamOptions,
): { text: string; values: unknown[] } | null {
  if (readsNothing(options)) return null;
  const { direction = 'forwards', fromRevision, toRevision, maxCount, types } = options;
  const backwards = direction === 'backwards';
  const values: unknown[] = [streamId];
  const where = ['stream_id = $1'];
  const bound = (operator: string, revision: number | undefined): void => {
    if (revision !== undefined) where.push(`revision ${operator} $${values.push(revision)}`);
  };
  bound(backwards ? '<=' : '>=', fromRevision);
  bound(backwards ? '>=' : '<=', toRevision);
  if (types) where.push(`type = ANY($${values.push(types)}::text[])`);
  const text = `SELECT * FROM event_store.events WHERE ${where.join(' AND ')}
                 ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT $${values.push(maxCount ?? null)}`;
  return { text, values };
}

/** `expected` as event_store.append_streams takes it; assertValidAppend has checked it. */
function encodeExpected(expected: ExpectedRevision): number {
  if (expected === 'no_stream') return -1;
  if (expected === 'any') return -2;
  return expected;
}

/**
 * A PostgreSQL text[] literal. Every element is quoted (so commas, braces, blanks and NULL are plain
 * text); only quotes and backslashes need escaping, which the driver would look for in each element
 * with two regular expressions.
 */
function textArrayLiteral(values: string[]): string {
  if (values.length === 0) return '{}';
  for (const value of values) {
    if (value.includes('"') || value.includes('\\')) {
      return `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
    }
  }
  return `{"${values.join('","')}"}`;
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    revision: Number(row.revision),
    position: Number(row.position),
    recordedAt: row.recorded_at,
  };
}

/**
 * A json parameter as its bytes (sent in binary format, which for json is the text itself). A large
 * JSON.stringify result is a rope of parts; the driver would flatten it into a second copy, and both
 * would stay on the heap until the commit returns, long enough to be promoted out of the young
 * generation. As a Buffer the text lives off the heap and the strings die young.
 */
function jsonParam(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}
