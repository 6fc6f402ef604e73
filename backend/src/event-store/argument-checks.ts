import type { ExpectedRevision, NewEvent, ReadStreamOptions, StreamAppend } from './event-store';

/*
 * The checks every EventStore adapter makes on its arguments, so that a malformed call fails alike
 * whichever store is configured, and before anything is written.
 */

/** An append must add at least one event, expecting 'no_stream', 'any' or a revision (0 or more). */
export function assertValidAppend(
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): void {
  if (events.length === 0) throw new Error(`append to ${streamId}: no events`);
  if (expected === 'no_stream' || expected === 'any') return;
  if (!Number.isInteger(expected) || expected < 0) throw new Error(`invalid expected revision ${expected}`);
}

/** Every append of a batch valid, and each to a different stream: a batch appends to a stream once. */
export function assertValidBatch(appends: readonly StreamAppend[]): void {
  const seen = new Set<string>();
  for (const { streamId, events, expectedRevision } of appends) {
    if (seen.has(streamId)) throw new Error(`appendMany: stream ${streamId} appears twice in one batch`);
    seen.add(streamId);
    assertValidAppend(streamId, events, expectedRevision);
  }
}

/**
 * A cut names a revision (0 or more) through which events go, and leaves the stream's last event (at
 * `lastRevision`; undefined when the stream does not exist), which holds the stream's revision.
 */
export function assertValidTruncation(
  streamId: string,
  throughRevision: number,
  lastRevision: number | undefined,
): void {
  if (!Number.isSafeInteger(throughRevision) || throughRevision < 0) {
    throw new Error(`truncate ${streamId}: invalid revision ${throughRevision}`);
  }
  if (lastRevision === undefined || throughRevision >= lastRevision) {
    throw new Error(`truncate ${streamId} through ${throughRevision}: the stream's last event must stay`);
  }
}

/** A stream read that matches nothing whatever the stream holds: no types, or at most 0 events. */
export function readsNothing({ maxCount, types }: ReadStreamOptions): boolean {
  return types?.length === 0 || (maxCount !== undefined && maxCount <= 0);
}
