import type { EventStore, RecordedEvent } from './event-store';

/**
 * A stream's events from `fromRevision` (default 0) through `toRevision` (default: its end), read a
 * page at a time, so memory stays bounded however long the stream is. The one way to fold a stream.
 */
export async function* readStreamInPages(
  store: EventStore,
  streamId: string,
  options: { fromRevision?: number; toRevision?: number; pageSize?: number } = {},
): AsyncGenerator<RecordedEvent> {
  const { toRevision, pageSize = 1000 } = options;
  for (let from = options.fromRevision ?? 0; toRevision === undefined || from <= toRevision;) {
    const page = await store.readStream(streamId, {
      fromRevision: from,
      maxCount: pageSize,
      ...(toRevision === undefined ? {} : { toRevision }),
    });
    yield* page;
    if (page.length < pageSize) return;
    from = page[page.length - 1].revision + 1;
  }
}
