import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AppendExpectedRevision,
  type JSONType,
  type Position,
  type ReadPosition,
  type ReadRevision,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
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
  NO_STREAM_REVISION,
  WrongExpectedRevisionError,
} from '../event-store';
import { assertValidAppend, assertValidBatch, assertValidTruncation, readsNothing } from '../argument-checks';

/*
 * How our interface maps onto EventStoreDB
 *
 * Revisions. An EventStoreDB stream revision is, like ours, the 0-based index of an event in its stream,
 * as a bigint. Expected revisions map as: n -> BigInt(n), 'no_stream' -> NO_STREAM, 'any' -> ANY. A
 * stream that does not exist has no revision (the client says 'no_stream'); we report -1.
 *
 * Positions. An event's place in $all is a pair {commit, prepare} of byte offsets in the transaction log,
 * ordered by commit, then prepare. Since v20 every append is an implicit transaction and each event is
 * its own committed record, so an event's commit position equals its prepare position and is unique
 * and growing: our single number `position` is Number(commit) (exact while below 2^53, i.e. 8 PiB of
 * log). The append result's position is that of the commit record of the write, which is the log
 * position of its last event, as the interface asks.
 * - A forward read of $all from {commit: p, prepare: p} is inclusive (it returns the event at p), so to
 *   read strictly after `after` we start there and drop events with commit <= after.
 * - A backward read from an event's position is exclusive (it returns the events before it).
 * - A subscription from a position starts after it; we drop commit <= after anyway, to be safe.
 * Pages continue from the last {commit, prepare} seen, comparing both fields, so they stay exact even
 * for old explicit transactions (several events sharing one commit position).
 *
 * System events. $all also holds the server's own events (types and streams starting with `$`: users,
 * settings, stream metadata, statistics). Kairos never sees them: reads and the head skip them, and the
 * subscription filters them on the server (excludeSystemEvents) and again here.
 *
 * Retention (ADR 012). A cut writes the base to the companion stream `kairos-base-<stream>` (metadata
 * maxCount 1: only the latest base is kept) first, then sets the stream's truncateBefore ($tb) to the
 * first kept revision: stream reads then start there at once; the server drops the older events from
 * disk, and from $all, at its next scavenge. Until then readAll and subscriptions may still return
 * them, which leaves the read model as it is: the marker event in the stream (TaskHistoryTruncated)
 * is what prunes it, and a fold that meets a removed event it already has a base for skips it. Base
 * streams are hidden from readAll, the head and subscriptions, as system events are.
 *
 * Batches. EventStoreDB has no multi-stream transaction: appendMany runs one append per stream (a few
 * at a time); each stream is atomic on its own, the batch is not.
 */

/** How many streams of one appendMany are appended at the same time. */
const APPEND_CONCURRENCY = 16;
/** The most events asked of the server in one read while collecting a page. */
const MAX_SERVER_READ = 4096;
/** Events per backward read while looking for the head. */
const HEAD_READ_SIZE = 64;
/** The companion stream holding a cut stream's base. */
const BASE_STREAM_PREFIX = 'kairos-base-';
const BASE_EVENT_TYPE = 'StreamBase';

/** Sorts after any prepare position: with it, {commit: p, prepare: MAX_PREPARE} covers all of commit p. */
const MAX_PREPARE = 2n ** 64n - 1n;

export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;

  /** @param connectionString for example `esdb://localhost:2113?tls=false` */
  constructor(connectionString: string) {
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  async append(
    streamId: string,
    events: NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    assertValidAppend(streamId, events, expectedRevision);
    try {
      const result = await this.client.appendToStream(
        streamId,
        events.map((event) =>
          jsonEvent({ type: event.type, data: event.data as JSONType, metadata: event.metadata }),
        ),
        { expectedRevision: toEsdbExpected(expectedRevision) },
      );
      // The client throws on a wrong expected revision unless the connection string sets
      // throwOnAppendFailure=false, which this adapter does not support.
      if (!result.success || !result.position) {
        throw new Error(`append to ${streamId}: no success or no position (throwOnAppendFailure=false?)`);
      }
      return { nextRevision: Number(result.nextExpectedRevision), position: Number(result.position.commit) };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion === NO_STREAM ? NO_STREAM_REVISION : Number(error.actualVersion);
        throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
      }
      throw error;
    }
  }

  async appendMany(appends: StreamAppend[]): Promise<BatchAppendResult[]> {
    assertValidBatch(appends);
    const results = new Array<BatchAppendResult>(appends.length);
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      while (!failed && next < appends.length) {
        const index = next++;
        const { streamId, events, expectedRevision } = appends[index];
        try {
          results[index] = { streamId, ok: true, ...(await this.append(streamId, events, expectedRevision)) };
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError)) {
            failed = true; // the other workers stop taking streams; the call rejects with this error
            throw error;
          }
          results[index] = { streamId, ok: false, error };
        }
      }
    };
    const workers = Array.from({ length: Math.min(APPEND_CONCURRENCY, appends.length) }, worker);
    await Promise.all(workers);
    return results;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (readsNothing(options)) return [];
    const { direction = 'forwards', fromRevision, toRevision, maxCount, types } = options;
    const backwards = direction === 'backwards';
    // Stream reads take no server-side filter: types are matched here, reading chunks until enough match
    // or toRevision is passed, so a filtered read looks at no more of the stream than the caller allows.
    const wanted = types && new Set(types);
    const beyond = (revision: number): boolean =>
      toRevision !== undefined && (backwards ? revision < toRevision : revision > toRevision);
    const events: RecordedEvent[] = [];
    let from: ReadRevision = fromRevision !== undefined ? BigInt(fromRevision) : backwards ? END : START;
    let firstRead = true;
    try {
      for (;;) {
        const remaining = maxCount === undefined ? MAX_SERVER_READ : maxCount - events.length;
        const span =
          typeof from === 'bigint' && toRevision !== undefined
            ? spanTo(from, toRevision, backwards)
            : Infinity;
        const requested = Math.min(wanted ? MAX_SERVER_READ : remaining, MAX_SERVER_READ, span);
        if (requested <= 0) break;
        let received = 0;
        let last = -1;
        let done = false;
        for await (const { event } of this.client.readStream(streamId, {
          direction: backwards ? BACKWARDS : FORWARDS,
          fromRevision: from,
          maxCount: requested,
        })) {
          received++;
          if (!event) continue;
          last = Number(event.revision);
          if (beyond(last)) done = true;
          else if (!wanted || wanted.has(event.type)) events.push(toRecordedEvent(event));
          if (done || events.length === maxCount) {
            done = true;
            break; // leaving the loop cancels the rest of the read
          }
        }
        if (firstRead && received === 0 && backwards && typeof from === 'bigint') {
          // The server reads backwards only within [from - requested + 1, from]: from beyond the last
          // event that range can be empty. Start at the last event instead, as the interface promises.
          firstRead = false;
          from = END;
          continue;
        }
        firstRead = false;
        if (done || received < requested || last < 0 || (backwards && last === 0)) break;
        from = BigInt(backwards ? last - 1 : last + 1);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { after, maxCount = DEFAULT_READ_ALL_MAX_COUNT } = options;
    const events: RecordedEvent[] = [];
    // Everything at or before `floor` has been seen (or is at or before `after`).
    let floor: Position | undefined = after === undefined ? undefined : atCommit(after, MAX_PREPARE);
    let from: ReadPosition = after === undefined ? START : atCommit(after, BigInt(after));
    while (events.length < maxCount) {
      const requested = Math.min(maxCount - events.length + 1, MAX_SERVER_READ);
      let received = 0;
      for await (const { event } of this.client.readAll({
        direction: FORWARDS,
        fromPosition: from,
        maxCount: requested,
      })) {
        received++;
        if (!event || (floor && comparePositions(event.position, floor) <= 0)) continue;
        floor = from = event.position;
        if (!isSystemEvent(event) && events.length < maxCount) events.push(toRecordedEvent(event));
      }
      if (received < requested) break; // reached the end of $all
    }
    return events;
  }

  async headPosition(): Promise<number> {
    let from: ReadPosition = END;
    for (;;) {
      let received = 0;
      for await (const { event } of this.client.readAll({
        direction: BACKWARDS,
        fromPosition: from,
        maxCount: HEAD_READ_SIZE,
      })) {
        received++;
        if (!event || (from !== END && comparePositions(event.position, from) >= 0)) continue;
        if (!isSystemEvent(event)) return Number(event.position.commit);
        from = event.position;
      }
      if (received < HEAD_READ_SIZE) return 0; // reached the start of $all: no event of ours
    }
  }

  async *subscribeToAll(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    const { after, signal, pageSize, settleMs = 0 } = options;
    if (signal?.aborted) return;
    const subscription = this.client.subscribeToAll(
      {
        fromPosition: after === undefined ? START : atCommit(after, BigInt(after)),
        filter: excludeSystemEvents(),
      },
      // The subscription is a Readable: it buffers at most this many events, then gRPC flow control
      // holds the server back until the consumer pulls again.
      pageSize === undefined ? {} : { highWaterMark: pageSize },
    );
    // Cancelling the gRPC call ends the subscription's stream, so a pending pull finishes.
    const unsubscribe = (): Promise<void> => subscription.unsubscribe().catch(() => undefined);
    const onAbort = (): void => void unsubscribe();
    signal?.addEventListener('abort', onAbort, { once: true });
    // Caught up: nothing was buffered when the consumer asked for more. When one last came since.
    let caughtUp = true;
    let woken = -Infinity;
    try {
      for await (const { event } of subscription) {
        if (signal?.aborted) return;
        if (!event || isSystemEvent(event)) continue;
        if (after !== undefined && event.position.commit <= BigInt(after)) continue;
        if (caughtUp) {
          // At most one wake per settleMs: the events committed meanwhile are buffered by the
          // stream, and follow this one at once. Catching up (a full buffer) never waits.
          const settle = woken + settleMs - Date.now();
          if (settle > 0) await new Promise((resolve) => setTimeout(resolve, settle));
          woken = Date.now();
        }
        yield toRecordedEvent(event);
        caughtUp = subscription.readableLength === 0;
      }
    } finally {
      // Runs on abort, on error, and when the consumer leaves for-await early (the iterator's return()).
      signal?.removeEventListener('abort', onAbort);
      await unsubscribe();
    }
  }

  async truncateStream(streamId: string, { throughRevision, base }: TruncateOptions): Promise<void> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    assertValidTruncation(streamId, throughRevision, last?.revision);
    const earlier = await this.readStreamBase(streamId);
    if (earlier && earlier.revision >= throughRevision) return;
    const baseStream = BASE_STREAM_PREFIX + streamId;
    // The base first: should the process die between the two writes, the stream is whole and the
    // base one nobody needs yet (a fold only looks for it when the stream starts after revision 0).
    await this.client.appendToStream(
      baseStream,
      jsonEvent({
        type: BASE_EVENT_TYPE,
        data: { revision: throughRevision, base: base as JSONType, truncatedAt: new Date().toISOString() },
      }),
    );
    if (!earlier) await this.client.setStreamMetadata(baseStream, { maxCount: 1 });
    const { metadata } = await this.client.getStreamMetadata(streamId);
    await this.client.setStreamMetadata(streamId, { ...metadata, truncateBefore: throughRevision + 1 });
  }

  async readStreamBase(streamId: string): Promise<StreamBase | undefined> {
    try {
      for await (const { event } of this.client.readStream(BASE_STREAM_PREFIX + streamId, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        if (!event || event.type !== BASE_EVENT_TYPE || !isPlainObject(event.data)) continue;
        const { revision, base, truncatedAt } = event.data as Record<string, unknown>;
        if (typeof revision !== 'number' || typeof truncatedAt !== 'string') continue;
        return { revision, base, truncatedAt: new Date(truncatedAt) };
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
    return undefined;
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

/** `expected` as the client takes it; assertValidAppend has checked it. */
function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  return BigInt(expected);
}

/** How many revisions lie from `from` to `to`, both included, in the direction read (0 when none). */
function spanTo(from: bigint, to: number, backwards: boolean): number {
  return Math.max(0, (backwards ? Number(from) - to : to - Number(from)) + 1);
}

function atCommit(commit: number, prepare: bigint): Position {
  return { commit: BigInt(commit), prepare };
}

function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** The server's own events (users, settings, stream metadata, statistics, links) and our bases. */
function isSystemEvent(event: EsdbRecordedEvent): boolean {
  return (
    event.type.startsWith('$') ||
    event.streamId.startsWith('$') ||
    event.streamId.startsWith(BASE_STREAM_PREFIX)
  );
}

function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  if (!event.position) {
    // Only servers older than 22.6 leave out positions on stream reads.
    throw new Error(`event ${event.streamId}@${event.revision}: the server reported no position`);
  }
  const { metadata } = event;
  return {
    streamId: event.streamId,
    type: event.type,
    data: event.data,
    metadata: isPlainObject(metadata) ? metadata : {},
    revision: Number(event.revision),
    position: Number(event.position.commit),
    // In client 6.x `created` is already a Date (the client converts the server's .NET ticks).
    recordedAt: event.created,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}
