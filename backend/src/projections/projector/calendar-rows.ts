/**
 * Calendar streams in a projector batch: each calendar's row after the batch's events. Every
 * CalendarCreated and CalendarUpdated carries the whole definition, so no row is loaded first: the
 * last definition in the batch is the row's, and a deletion only marks it. The upsert keeps a row's
 * newer revision (replaying a batch is harmless), as task rows do.
 */
import type { RecordedEvent } from '../../event-store/event-store';
import type { CalendarDefinition } from '../../calendars/domain/calendar-definition';
import { assertCalendarEvent } from '../../calendars/domain/calendar.events';

export interface CalendarRow {
  calendar_id: string;
  /** Null when the batch only deleted it (the stored row keeps its definition). */
  definition: CalendarDefinition | null;
  created_at: string | null;
  deleted: boolean;
  revision: number;
  position: number;
  updated_at: string;
}

/** Applies one calendar event to the batch's rows; throws (the event is parked) when it is malformed. */
export function applyCalendarEvent(
  rows: Map<string, CalendarRow>,
  calendarId: string,
  event: RecordedEvent,
): void {
  const typed = assertCalendarEvent(event.type, event.data);
  const row: CalendarRow = rows.get(calendarId) ?? {
    calendar_id: calendarId,
    definition: null,
    created_at: null,
    deleted: false,
    revision: -1,
    position: 0,
    updated_at: event.recordedAt.toISOString(),
  };
  if (event.revision <= row.revision) return;
  switch (typed.type) {
    case 'CalendarCreated':
      row.definition = typed.data.definition;
      row.created_at = typed.data.createdAt;
      row.updated_at = typed.data.createdAt;
      row.deleted = false;
      break;
    case 'CalendarUpdated':
      row.definition = typed.data.definition;
      row.updated_at = typed.data.updatedAt;
      break;
    case 'CalendarDeleted':
      row.deleted = true;
      row.updated_at = typed.data.deletedAt;
      break;
  }
  row.revision = event.revision;
  row.position = event.position;
  rows.set(calendarId, row);
}

/**
 * The statements writing a batch's calendar rows (schema already quoted): an upsert of those with a
 * definition, then the deletions of the others; neither goes back to an older revision.
 */
export function calendarStatements(schema: string, rows: readonly CalendarRow[]) {
  if (rows.length === 0) return [];
  const json = JSON.stringify(rows);
  const columns = `calendar_id uuid, definition jsonb, created_at timestamptz, deleted boolean, revision bigint,
      position bigint, updated_at timestamptz`;
  return [
    {
      text: `INSERT INTO ${schema}.calendars AS c (calendar_id, name, definition, revision, position, deleted,
          created_at, updated_at)
        SELECT calendar_id, definition ->> 'name', definition, revision, position, deleted,
          coalesce(created_at, updated_at), updated_at
        FROM jsonb_to_recordset($1::jsonb) AS r(${columns})
        WHERE definition IS NOT NULL
        ON CONFLICT (calendar_id) DO UPDATE SET name = excluded.name, definition = excluded.definition,
          revision = excluded.revision, position = excluded.position, deleted = excluded.deleted,
          updated_at = excluded.updated_at
        WHERE c.revision < excluded.revision`,
      values: [json],
    },
    {
      text: `UPDATE ${schema}.calendars AS c SET deleted = true, revision = r.revision, position = r.position,
          updated_at = r.updated_at
        FROM jsonb_to_recordset($1::jsonb) AS r(${columns})
        WHERE r.definition IS NULL AND r.deleted AND c.calendar_id = r.calendar_id AND c.revision < r.revision`,
      values: [json],
    },
  ];
}
