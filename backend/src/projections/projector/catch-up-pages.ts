import type { EventStore, RecordedEvent } from '../../event-store/event-store';
import type { NextBatch } from './batch-pipeline';
import type { Retry } from './retry';

const ignore = (): void => undefined;

/**
 * The batches of a catch-up (Projector.catchUp: rebuilds, tests): the log after `after` up to
 * `until`, in pages of `maxCount` events, each page read while the one before it is being written.
 */
export function catchUpPages({
  store,
  retry,
  after,
  until,
  maxCount,
  signal,
}: {
  store: EventStore;
  retry: Retry;
  after: number;
  until: number;
  maxCount: number;
  signal: AbortSignal | undefined;
}): NextBatch {
  const read = (from: number): Promise<RecordedEvent[]> => {
    if (from >= until || signal?.aborted) return Promise.resolve([]);
    const page = retry.retrying(() => store.readAll({ after: from, maxCount }), signal);
    page.catch(ignore); // awaited below; this only keeps an early rejection from going unhandled
    return page;
  };
  let page = read(after);
  return async () => {
    const events = await page;
    if (events.length === 0) return undefined;
    page = read(events[events.length - 1].position);
    return events;
  };
}
