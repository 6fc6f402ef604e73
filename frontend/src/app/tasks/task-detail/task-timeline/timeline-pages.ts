import { formatAbsolute } from '../../../time/instants';
import type { HistoryStart, TaskEvent, TaskEventPage } from '../../task.model';

/**
 * What the timeline shows: events newest first, the cursor of the next older page (null: none), and
 * where the kept history starts when retention removed the older part (null: it is all there).
 */
export interface TimelineEvents {
  events: readonly TaskEvent[];
  olderCursor: string | null;
  historyStartsAt: HistoryStart | null;
}

export const EMPTY_TIMELINE: TimelineEvents = { events: [], olderCursor: null, historyStartsAt: null };

/**
 * The newest page read again after a change, merged into what is shown: its new events go on top.
 * When more events came than one page holds, the page does not reach what is shown; rather than
 * leave a hole in the history, the timeline starts over from that page (older pages on request).
 */
export function withNewestPage(shown: TimelineEvents, page: TaskEventPage): TimelineEvents {
  const historyStartsAt = page.historyStartsAt ?? null;
  const newestShown = shown.events[0]?.revision;
  if (newestShown === undefined) return { events: page.items, olderCursor: page.nextCursor, historyStartsAt };
  const oldestInPage = page.items.at(-1)?.revision;
  if (oldestInPage === undefined) return shown;
  const reaches = oldestInPage <= newestShown + 1 || page.nextCursor === null;
  if (!reaches) return { events: page.items, olderCursor: page.nextCursor, historyStartsAt };
  const fresh = page.items.filter((event) => event.revision > newestShown);
  // A cut since: events shown from before it are gone from the log, so they go from here too.
  const kept = historyStartsAt
    ? shown.events.filter((event) => event.revision >= historyStartsAt.revision)
    : shown.events;
  return { events: [...fresh, ...kept], olderCursor: shown.olderCursor, historyStartsAt };
}

/** An older page appended below what is shown (never an event twice). */
export function withOlderPage(shown: TimelineEvents, page: TaskEventPage): TimelineEvents {
  const oldestShown = shown.events.at(-1)?.revision ?? Number.POSITIVE_INFINITY;
  const older = page.items.filter((event) => event.revision < oldestShown);
  return {
    events: [...shown.events, ...older],
    olderCursor: page.nextCursor,
    historyStartsAt: page.historyStartsAt ?? shown.historyStartsAt,
  };
}

/** Shown at the end of the list instead of "Load older" once the oldest kept event is reached. */
export function removedHistoryNote(shown: TimelineEvents): string | null {
  const start = shown.historyStartsAt;
  if (!start || shown.olderCursor !== null) return null;
  return `History before revision ${start.revision} was removed by retention (${formatAbsolute(start.truncatedAt)})`;
}
