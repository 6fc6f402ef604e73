import type { TaskEvent } from '../../task.model';
import { EMPTY_TIMELINE, removedHistoryNote, withNewestPage, withOlderPage } from './timeline-pages';

const event = (revision: number): TaskEvent => ({
  type: 'TaskScheduled',
  revision,
  position: 100 + revision,
  recordedAt: '2026-11-24T09:00:00Z',
  data: {},
});
/** Events newest first: from `newest` down to `oldest`. */
const range = (newest: number, oldest: number): TaskEvent[] =>
  Array.from({ length: newest - oldest + 1 }, (_, i) => event(newest - i));
const revisions = (events: readonly TaskEvent[]) => events.map((e) => e.revision);

describe('timeline pages', () => {
  it('shows the first page as it comes, with its cursor for older events', () => {
    const shown = withNewestPage(EMPTY_TIMELINE, {
      items: range(9, 5),
      nextCursor: 'c5',
      historyStartsAt: null,
    });
    expect(revisions(shown.events)).toEqual([9, 8, 7, 6, 5]);
    expect(shown.olderCursor).toBe('c5');
  });

  it('puts new events on top when the newest page reaches what is shown, keeping the older cursor', () => {
    const shown = { events: range(9, 5), olderCursor: 'c5', historyStartsAt: null };
    const next = withNewestPage(shown, { items: range(12, 8), nextCursor: 'c8', historyStartsAt: null });
    expect(revisions(next.events)).toEqual([12, 11, 10, 9, 8, 7, 6, 5]);
    expect(next.olderCursor).toBe('c5');
    const adjacent = withNewestPage(shown, {
      items: range(14, 10),
      nextCursor: 'c10',
      historyStartsAt: null,
    });
    expect(revisions(adjacent.events)).toEqual([14, 13, 12, 11, 10, 9, 8, 7, 6, 5]);
    expect(withNewestPage(shown, { items: range(9, 5), nextCursor: 'c5', historyStartsAt: null })).toEqual(
      shown,
    );
  });

  it('starts over from the newest page when more came than a page holds, leaving no hole', () => {
    const shown = { events: range(9, 5), olderCursor: 'c5', historyStartsAt: null };
    const next = withNewestPage(shown, { items: range(30, 26), nextCursor: 'c26', historyStartsAt: null });
    expect(revisions(next.events)).toEqual([30, 29, 28, 27, 26]);
    expect(next.olderCursor).toBe('c26');
  });

  it('appends an older page below, never an event twice, and takes its cursor', () => {
    const shown = { events: range(9, 5), olderCursor: 'c5', historyStartsAt: null };
    const older = withOlderPage(shown, { items: range(5, 1), nextCursor: 'c1', historyStartsAt: null });
    expect(revisions(older.events)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(older.olderCursor).toBe('c1');
    expect(
      withOlderPage(older, { items: [event(0)], nextCursor: null, historyStartsAt: null }).olderCursor,
    ).toBeNull();
  });

  it('says where retention cut the history once the oldest kept event is shown, not before', () => {
    const cutAt = { revision: 5, truncatedAt: '2026-11-24T09:00:00Z' };
    const first = withNewestPage(EMPTY_TIMELINE, {
      items: range(9, 7),
      nextCursor: 'c7',
      historyStartsAt: cutAt,
    });
    expect(removedHistoryNote(first)).toBeNull();
    const last = withOlderPage(first, { items: range(6, 5), nextCursor: null, historyStartsAt: cutAt });
    expect(revisions(last.events)).toEqual([9, 8, 7, 6, 5]);
    expect(removedHistoryNote(last)).toMatch(/^History before revision 5 was removed by retention \(.+\)$/);
    expect(
      removedHistoryNote(
        withOlderPage(first, { items: range(6, 0), nextCursor: null, historyStartsAt: null }),
      ),
    ).toMatch(/revision 5/);
  });

  it('drops shown events that a later cut removed from the log', () => {
    const shown = { events: range(9, 5), olderCursor: null, historyStartsAt: null };
    const next = withNewestPage(shown, {
      items: range(11, 9),
      nextCursor: 'c9',
      historyStartsAt: { revision: 7, truncatedAt: '2026-11-24T09:00:00Z' },
    });
    expect(revisions(next.events)).toEqual([11, 10, 9, 8, 7]);
  });
});
