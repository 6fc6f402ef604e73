/** The shape of a calendar: the periods during which the tasks that name it do not fire. No logic. */
import type { Instant } from '../../tasks/domain/task-definition';

/**
 * One excluded period:
 * - `{ date }`: a whole day (`2026-12-25`) in the calendar's zone;
 * - `{ from, to }`: the instants from `from` (inclusive) to `to` (exclusive);
 * - `{ cron }`: every instant the expression matches in the calendar's zone, at its precision (5 fields:
 *   the whole matching minute; 6 fields: the whole matching second), e.g. `* * * * 0,6` for weekends.
 */
export type Exclusion = { date: string } | { from: Instant; to: Instant } | { cron: string };

export interface CalendarDefinition {
  name: string;
  /** IANA zone in which dates and cron expressions are read, e.g. `Europe/Berlin`. */
  timezone: string;
  exclude: Exclusion[];
}

/** A calendar as the firing path needs it: its definition and the revision it is as of. */
export interface CalendarAtRevision {
  id: string;
  revision: number;
  definition: CalendarDefinition;
}
