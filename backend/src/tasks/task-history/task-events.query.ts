import { Injectable } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '../../event-store/event-store';
import { InjectEventStore } from '../../event-store/event-store.module';
import { decodeCursor, encodeCursor } from '../../task-queries/keyset-cursor';
import { DEFAULT_PAGE_SIZE } from '../../task-queries/page.query-schema';
import { taskStreamId } from '../domain/task.events';
import { readTaskBase } from '../task-stream-fold';
import { maskEventData } from './mask-event-data';
import type { EventOrder, TaskEventPage, TaskEventView } from './task-events.dto';
import type { TaskEventsQueryParams } from './task-events.query-schema';

/**
 * The most revisions a page filtered by type looks at. A rare type (the one TaskUpdated among a
 * million firings) would otherwise make a page scan the whole stream: with the bound, such a page may
 * come back short, even empty, with a nextCursor that goes on where it stopped looking.
 */
export const TYPE_SCAN_WINDOW = 5000;

/** The cursor: the order it was made for and the revision the next page starts at (inclusive). */
type Cursor = [EventOrder, number];

/**
 * A task's audit trail, a page at a time, read from the event store (not the read model): every
 * page is one bounded read of the stream, from its newest event (desc) or its oldest (asc).
 * Null when the task has no stream.
 */
@Injectable()
export class TaskEventsQuery {
  constructor(@InjectEventStore() private readonly store: EventStore) {}

  async run(taskId: string, query: TaskEventsQueryParams): Promise<TaskEventPage | null> {
    const stream = taskStreamId(taskId);
    const order = query.order ?? 'desc';
    const backwards = order === 'desc';
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    let from = query.cursor === undefined ? undefined : decodeCursor(query.cursor, isCursorFor(order))[1];
    // Retention may have cut the stream (ADR 012): it then starts after its base.
    const base = await readTaskBase(this.store, taskId);
    const first = base ? base.revision + 1 : 0;
    let toRevision: number | undefined;
    if (query.type) {
      if (from === undefined && backwards) {
        const [last] = await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
        if (!last) return null;
        from = last.revision;
      }
      from ??= first;
      toRevision = backwards ? Math.max(first, from - TYPE_SCAN_WINDOW + 1) : from + TYPE_SCAN_WINDOW - 1;
    }
    const events = await this.store.readStream(stream, {
      direction: backwards ? 'backwards' : 'forwards',
      fromRevision: from,
      toRevision,
      maxCount: limit + 1,
      types: query.type,
    });
    let next: number | null = events.length > limit ? events[limit].revision : null;
    if (next === null && toRevision !== undefined) {
      // The window ran out before the page filled: go on after it, if the stream does.
      if (backwards) next = toRevision > first ? toRevision - 1 : null;
      else next = (await this.exists(stream, toRevision + 1)) ? toRevision + 1 : null;
    }
    const items = events.slice(0, limit);
    if (items.length === 0 && next === null && !(await this.exists(stream, first))) return null;
    return {
      items: items.map(toView),
      nextCursor: next === null ? null : encodeCursor([order, next]),
      historyStartsAt: base ? { revision: first, truncatedAt: base.truncatedAt.toISOString() } : null,
    };
  }

  private async exists(stream: string, revision: number): Promise<boolean> {
    return (await this.store.readStream(stream, { fromRevision: revision, maxCount: 1 })).length > 0;
  }
}

function toView({ type, revision, position, recordedAt, data }: RecordedEvent): TaskEventView {
  return { type, revision, position, recordedAt: recordedAt.toISOString(), data: maskEventData(type, data) };
}

function isCursorFor(order: EventOrder) {
  return (value: unknown): value is Cursor =>
    Array.isArray(value) &&
    value.length === 2 &&
    value[0] === order &&
    Number.isSafeInteger(value[1]) &&
    (value[1] as number) >= 0;
}
