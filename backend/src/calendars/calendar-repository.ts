import { Inject, Injectable } from '@nestjs/common';
import { type EventStore, WrongExpectedRevisionError } from '../event-store/event-store';
import { InjectEventStore } from '../event-store/event-store.module';
import { MAX_DECISION_ATTEMPTS } from '../tasks/decide-and-append';
import type { Clock } from '../tasks/clock';
import type { CalendarAtRevision } from './domain/calendar-definition';
import type { CalendarCommand } from './domain/calendar.commands';
import { decideCalendar } from './domain/calendar.decider';
import { CalendarDomainError } from './domain/calendar.errors';
import { CALENDAR_EVENT_SCHEMA_VERSION, calendarStreamId } from './domain/calendar.events';
import { liveCalendar, loadCalendar, type LoadedCalendar } from './calendar-stream';

/** What every calendar command answers, as a task command does. */
export interface CalendarCommandResult {
  id: string;
  revision: number;
  position: number;
  /** Whether the command appended anything (an idempotent repeat does not). */
  changed: boolean;
}

/** The clock and id generator of the calendar slices (tokens of their own, see CalendarsModule). */
export const CALENDAR_CLOCK = Symbol('CALENDAR_CLOCK');
export const CALENDAR_IDS = Symbol('CALENDAR_IDS');

const METADATA = Object.freeze({ schemaVersion: CALENDAR_EVENT_SCHEMA_VERSION });

/**
 * Runs calendar commands the way TaskRepository runs task commands (ADR 015): load the stream, decide
 * (pure), append with the revision decided on; on a conflict read again and decide again, at most
 * MAX_DECISION_ATTEMPTS times. Every calendar event is a person's change, so If-Match is simply the
 * stream's revision.
 */
@Injectable()
export class CalendarRepository {
  constructor(
    @InjectEventStore() private readonly store: EventStore,
    @Inject(CALENDAR_CLOCK) private readonly clock: Clock,
  ) {}

  load(calendarId: string): Promise<LoadedCalendar> {
    return loadCalendar(this.store, calendarId);
  }

  /** The live calendars among `ids` (missing and deleted ones left out), read from the log. */
  async loadLive(ids: readonly string[]): Promise<Map<string, CalendarAtRevision>> {
    const found = new Map<string, CalendarAtRevision>();
    await Promise.all(
      [...new Set(ids.map((id) => id.toLowerCase()))].map(async (id) => {
        const calendar = liveCalendar(id, await this.load(id));
        if (calendar) found.set(id, calendar);
      }),
    );
    return found;
  }

  async execute(
    command: CalendarCommand,
    options: { ifMatch?: number; assumeNew?: boolean } = {},
  ): Promise<CalendarCommandResult> {
    const id = command.data.calendarId;
    let loaded: LoadedCalendar = options.assumeNew
      ? { state: { status: 'none' }, revision: -1, position: 0 }
      : await this.load(id);
    for (let attempt = 1; ; attempt++) {
      if (
        options.ifMatch !== undefined &&
        loaded.state.status !== 'none' &&
        options.ifMatch !== loaded.revision
      ) {
        throw new CalendarDomainError(
          'revision_mismatch',
          `calendar ${id} is at revision ${loaded.revision}, not the one in If-Match; reload it and retry`,
          undefined,
          loaded.revision,
        );
      }
      const events = decideCalendar(command, loaded.state, this.clock.now());
      if (events.length === 0)
        return { id, revision: loaded.revision, position: loaded.position, changed: false };
      try {
        const { nextRevision, position } = await this.store.append(
          calendarStreamId(id),
          events.map((event) => ({ type: event.type, data: event.data, metadata: METADATA })),
          loaded.revision < 0 ? 'no_stream' : loaded.revision,
        );
        return { id, revision: nextRevision, position, changed: true };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt >= MAX_DECISION_ATTEMPTS) {
          throw new CalendarDomainError('concurrent_modification', `calendar ${id} kept changing; try again`);
        }
        loaded = await this.load(id);
      }
    }
  }
}
