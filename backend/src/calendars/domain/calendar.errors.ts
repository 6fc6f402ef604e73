/** The calendar domain's refusals; the HTTP edge maps each code to its status (api/problem.ts). */
export type CalendarErrorCode =
  /** No calendar under this id. */
  | 'calendar_not_found'
  /** The calendar is deleted; only a repeated delete is accepted. */
  | 'calendar_deleted'
  /** A different definition already exists under this id. */
  | 'calendar_already_exists'
  /** The definition cannot be used; `field` names the culprit. */
  | 'invalid_calendar'
  /** Someone changed the calendar after the revision the client saw (If-Match). */
  | 'revision_mismatch'
  /** Tasks still name the calendar: it cannot be deleted. */
  | 'calendar_in_use'
  /** The calendar kept changing while the command was decided again and again. */
  | 'concurrent_modification';

export class CalendarDomainError extends Error {
  override readonly name = 'CalendarDomainError';

  constructor(
    readonly code: CalendarErrorCode,
    message: string,
    /** The failing field, for invalid_calendar. */
    readonly field?: string,
    /** For revision_mismatch: the revision to reload. */
    readonly currentRevision?: number,
  ) {
    super(message);
  }
}

/** A calendar event read from a store does not have the shape its type promises. */
export class InvalidCalendarEventError extends Error {
  override readonly name = 'InvalidCalendarEventError';

  constructor(
    readonly eventType: string,
    readonly problems: string[],
  ) {
    super(`Invalid ${eventType} event: ${problems.join('; ')}`);
  }
}
