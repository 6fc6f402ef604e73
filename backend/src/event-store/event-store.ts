/**
 * The event store: Kairos's single source of truth.
 *
 * Glossary
 * - stream: the ordered events of one thing (a task's stream is `task-<uuid>`).
 * - revision: an event's 0-based index within its stream; a stream's revision is that of its last event.
 * - position: an event's place in the global log, across all streams. Positions only grow, and a
 *   reader that has seen position P will never later find a new event below P (see ADR 002).
 *
 * Two implementations pass one contract suite (event-store.contract.ts): PostgreSQL (the embedded
 * default) and EventStoreDB (when EVENTSTORE_URL is set).
 */

/** What the writer believes the stream's revision is; the append fails if it is wrong. */
export type ExpectedRevision = number | 'no_stream' | 'any';

/** An event about to be appended. `data` and `metadata` must be plain JSON. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  metadata?: Record<string, unknown>;
}

/** An event as the store recorded it. */
export interface RecordedEvent<Type extends string = string, Data = unknown> {
  streamId: string;
  type: Type;
  data: Data;
  metadata: Record<string, unknown>;
  revision: number;
  position: number;
  recordedAt: Date;
}

export interface AppendResult {
  /** The stream's revision after the append (that of its last event). */
  nextRevision: number;
  /** The global position of the last event appended. */
  position: number;
}

export interface StreamAppend {
  streamId: string;
  events: NewEvent[];
  expectedRevision: ExpectedRevision;
}

/** One stream's outcome within a batch append: appended, or refused for a wrong expected revision. */
export type BatchAppendResult =
  | ({ streamId: string; ok: true } & AppendResult)
  | { streamId: string; ok: false; error: WrongExpectedRevisionError };

/** Which way a stream is read: oldest first, or newest first (an audit trail's latest page). */
export type ReadDirection = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** Default 'forwards'. */
  direction?: ReadDirection;
  /**
   * The revision to start from (inclusive), in the direction read: default the stream's first event
   * (forwards) or its last (backwards). Backwards from beyond the last event starts at the last.
   */
  fromRevision?: number;
  /**
   * The last revision to consider (inclusive), in the direction read: bounds how much of the stream a
   * filtered read looks at, so its cost does not grow with the stream. Default: to the stream's end.
   */
  toRevision?: number;
  /** The most events returned (with `types`: the most matching events). */
  maxCount?: number;
  /** Only events of these types; an empty list matches none. */
  types?: readonly string[];
}

export interface ReadAllOptions {
  /** Return events strictly after this position; default: from the start. */
  after?: number;
  /** Default DEFAULT_READ_ALL_MAX_COUNT. */
  maxCount?: number;
}

/** readAll's page size when the caller gives none. */
export const DEFAULT_READ_ALL_MAX_COUNT = 1000;

export interface SubscribeOptions {
  /** Deliver events strictly after this position (a checkpoint); default: from the start. */
  after?: number;
  /** Ends the subscription: the iterator finishes once the signal aborts. */
  signal?: AbortSignal;
  /** How many events to read ahead per page while catching up (back-pressure bound). */
  pageSize?: number;
  /**
   * Once caught up, new events are fetched at most this often (ms): commits that follow one another
   * closely are delivered together (a batching consumer takes them in one batch), while an event after
   * a quiet spell is delivered at once.
   */
  settleMs?: number;
}

/** What remains of a stream's history before its first kept event (see truncateStream). */
export interface StreamBase {
  /** The last revision removed: the stream's events start at revision + 1. */
  revision: number;
  /** Opaque JSON kept by the writer: what a fold needs to start at revision + 1. */
  base: unknown;
  /** When the cut was made. */
  truncatedAt: Date;
}

export interface TruncateOptions {
  /** Events with this revision and lower are removed; must be below the stream's last revision. */
  throughRevision: number;
  /** Plain JSON that stands for the removed events (a later cut replaces it). */
  base: unknown;
}

export interface EventStore {
  /** Appends events to one stream atomically if its revision is as expected. */
  append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /**
   * Appends to several streams in one call, each with its own expected revision and its own result
   * (in request order). On PostgreSQL every successful stream commits in one transaction; a stream
   * whose expected revision is wrong is refused without failing the others.
   */
  appendMany(appends: StreamAppend[]): Promise<BatchAppendResult[]>;
  /** The stream's events in revision order (or reverse order, backwards); empty when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** One page of the global log in position order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** The position of the newest event in the global log readable now (0 when empty). */
  headPosition(): Promise<number>;
  /**
   * Follows the global log: catches up from `after`, then goes live. The consumer pulls (for await),
   * so a slow consumer slows reading rather than buffering without bound.
   */
  subscribeToAll(options?: SubscribeOptions): AsyncIterable<RecordedEvent>;
  /**
   * Retention (ADR 012): keeps `base` beside the stream and removes its events through
   * `throughRevision` (never the last one). Kept events keep their revisions, appends with an expected
   * revision work as before, and reads of the stream and the global log no longer return what was
   * removed. A cut at or before an earlier one only replaces nothing: it is ignored.
   */
  truncateStream(streamId: string, options: TruncateOptions): Promise<void>;
  /** The base of a stream cut by truncateStream; undefined when it was never cut. */
  readStreamBase(streamId: string): Promise<StreamBase | undefined>;
  close(): Promise<void>;
}

/** The append was refused: the stream is not at the revision the writer expected. */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's revision at the time of the refusal; -1 when it does not exist. */
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${actual}`);
  }
}

/** The revision of a stream that does not exist yet. */
export const NO_STREAM_REVISION = -1;
