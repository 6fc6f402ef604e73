import type { EventStore } from '../../event-store/event-store';
import { liveCalendar, loadCalendar } from '../../calendars/calendar-stream';
import type { CalendarAtRevision } from '../../calendars/domain/calendar-definition';

/** How long a calendar read from its stream is used before it is read again. */
export const CALENDAR_TTL_MS = 1000;

interface Entry {
  /** Null: no such calendar, or deleted (it excludes nothing). */
  calendar: CalendarAtRevision | null;
  readAt: number;
}

/**
 * The calendars the firing path needs, read from their streams (the log, not the read model: an edit
 * counts as soon as it is on record, without waiting for the projector) and kept CALENDAR_TTL_MS. So
 * an edit takes effect within that time for every occurrence not yet fired, and each exclusion is
 * decided with the revision it names. Only tasks that name calendars ever ask: others cost nothing.
 */
export class CalendarCache {
  private readonly entries = new Map<string, Entry>();
  private readonly reading = new Map<string, Promise<Entry>>();

  constructor(
    private readonly store: EventStore,
    private readonly ttlMs = CALENDAR_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The live calendars among `ids`, in the order given (missing and deleted ones left out). */
  async get(ids: readonly string[]): Promise<CalendarAtRevision[]> {
    const entries = await Promise.all(ids.map(async (id) => this.entry(id)));
    return entries.flatMap((entry) => (entry.calendar ? [entry.calendar] : []));
  }

  private entry(id: string): Entry | Promise<Entry> {
    const known = this.entries.get(id);
    if (known && this.now() - known.readAt < this.ttlMs) return known;
    let reading = this.reading.get(id);
    if (!reading) {
      const readAt = this.now();
      reading = loadCalendar(this.store, id)
        .then((loaded) => {
          const entry = { calendar: liveCalendar(id, loaded), readAt };
          this.entries.set(id, entry);
          return entry;
        })
        .finally(() => this.reading.delete(id));
      this.reading.set(id, reading);
    }
    return reading;
  }
}
