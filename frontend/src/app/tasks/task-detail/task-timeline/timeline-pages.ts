import type { Page, TaskEvent } from '../../task.model';

/** What the timeline shows: events newest first, and the cursor of the next older page (null: none). */
export interface TimelineEvents {
  events: readonly TaskEvent[];
  olderCursor: string | null;
}

export const EMPTY_TIMELINE: TimelineEvents = { events: [], olderCursor: null };

/**
 * The newest page read again after a change, merged into what is shown: its new events go on top.
 * When more events came than one page holds, the page does not reach what is shown; rather than
 * leave a hole in the history, the timeline starts over from that page (older pages on request).
 */
export function withNewestPage(shown: TimelineEvents, page: Page<TaskEvent>): TimelineEvents {
  const newestShown = shown.events[0]?.revision;
  if (newestShown === undefined) return { events: page.items, olderCursor: page.nextCursor };
  const oldestInPage = page.items.at(-1)?.revision;
  if (oldestInPage === undefined) return shown;
  const reaches = oldestInPage <= newestShown + 1 || page.nextCursor === null;
  if (!reaches) return { events: page.items, olderCursor: page.nextCursor };
  const fresh = page.items.filter((event) => event.revision > newestShown);
  return { events: [...fresh, ...shown.events], olderCursor: shown.olderCursor };
}

/** An older page appended below what is shown (never an event twice). */
export function withOlderPage(shown: TimelineEvents, page: Page<TaskEvent>): TimelineEvents {
  const oldestShown = shown.events.at(-1)?.revision ?? Number.POSITIVE_INFINITY;
  const older = page.items.filter((event) => event.revision < oldestShown);
  return { events: [...shown.events, ...older], olderCursor: page.nextCursor };
}
