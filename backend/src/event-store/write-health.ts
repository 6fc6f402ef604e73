import type {
  AppendResult,
  BatchAppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  StreamBase,
  SubscribeOptions,
  TruncateOptions,
} from './event-store';
import { isTransientStoreError } from './transient-error';

/** A failure older than this no longer counts: nothing may have tried to write since. */
const TROUBLE_WINDOW_MS = 10_000;

/**
 * An event store that remembers whether its appends fail for a passing reason (a full disk, a
 * restart): reads may still answer while writes cannot, and readiness must say so.
 */
export class WriteHealthTracking implements EventStore {
  private failure: { at: number; message: string } | undefined;

  constructor(
    readonly inner: EventStore,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Why appends failed within the last 10 s, unless one has succeeded since. */
  writeTrouble(): string | undefined {
    if (!this.failure || this.clock() - this.failure.at > TROUBLE_WINDOW_MS) return undefined;
    return this.failure.message;
  }

  append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    return this.tracked(this.inner.append(streamId, events, expectedRevision));
  }

  appendMany(appends: StreamAppend[]): Promise<BatchAppendResult[]> {
    return this.tracked(this.inner.appendMany(appends));
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  subscribeToAll(options?: SubscribeOptions): AsyncIterable<RecordedEvent> {
    return this.inner.subscribeToAll(options);
  }

  truncateStream(streamId: string, options: TruncateOptions): Promise<void> {
    return this.inner.truncateStream(streamId, options);
  }

  readStreamBase(streamId: string): Promise<StreamBase | undefined> {
    return this.inner.readStreamBase(streamId);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async tracked<T>(appending: Promise<T>): Promise<T> {
    try {
      const result = await appending;
      this.failure = undefined;
      return result;
    } catch (error) {
      if (isTransientStoreError(error))
        this.failure = { at: this.clock(), message: (error as Error).message };
      throw error;
    }
  }
}

/** Why the store's appends are failing now, when it tracks that (see WriteHealthTracking). */
export function writeTroubleOf(store: EventStore): string | undefined {
  return store instanceof WriteHealthTracking ? store.writeTrouble() : undefined;
}
