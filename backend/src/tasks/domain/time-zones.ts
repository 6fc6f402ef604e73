/**
 * UTC offsets and their transitions for IANA zones, read from the runtime's Intl (ICU) data.
 *
 * Offsets are in milliseconds, as `wall = instant + offset`. A "wall" time here is a count of
 * milliseconds whose UTC fields are the local date and time, so plain Date.UTC arithmetic works on it.
 *
 * The tables are memoised per zone and year: computing a year costs a few hundred Intl calls once,
 * after which every lookup is a search in a short array. The cache only remembers pure results.
 */

const DAY_MS = 86_400_000;

export interface OffsetTransition {
  /** First instant (ms) with the new offset. */
  at: number;
  offsetBefore: number;
  offsetAfter: number;
}

/** A stretch of time with one offset, between two transitions. */
export interface ZoneSegment {
  /** Instant of the transition that opened it, or -Infinity when none is near. */
  start: number;
  /** Instant of the next transition, or Infinity when none is near. */
  end: number;
  offset: number;
  /** Offset before `start`: larger after a fall-back (a repeated hour), smaller after a spring-forward gap. */
  offsetBefore: number;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function offsetAt(timeZone: string, instant: number): number {
  return zoneSegmentAt(timeZone, instant).offset;
}

export function wallTimeOf(timeZone: string, instant: number): number {
  return instant + offsetAt(timeZone, instant);
}

/**
 * The segment holding `instant`. Looks for transitions one year back and two years ahead, which covers
 * every zone with daylight saving; a zone with none in that span is treated as having none at all.
 */
export function zoneSegmentAt(timeZone: string, instant: number): ZoneSegment {
  const year = new Date(instant).getUTCFullYear();
  const previous =
    lastTransitionAtOrBefore(yearTable(timeZone, year).transitions, instant) ??
    lastTransitionAtOrBefore(yearTable(timeZone, year - 1).transitions, instant);
  const next = [year, year + 1, year + 2]
    .map((y) => yearTable(timeZone, y).transitions.find((t) => t.at > instant))
    .find((t) => t !== undefined);
  const offset = previous?.offsetAfter ?? next?.offsetBefore ?? yearTable(timeZone, year).startOffset;
  return {
    start: previous?.at ?? -Infinity,
    end: next?.at ?? Infinity,
    offset,
    offsetBefore: previous?.offsetBefore ?? offset,
  };
}

function lastTransitionAtOrBefore(
  transitions: OffsetTransition[],
  instant: number,
): OffsetTransition | undefined {
  for (let i = transitions.length - 1; i >= 0; i--) {
    if (transitions[i].at <= instant) return transitions[i];
  }
  return undefined;
}

interface YearTable {
  startOffset: number;
  transitions: OffsetTransition[];
}

const yearTables = new Map<string, YearTable>();
const MAX_CACHED_YEARS = 10_000;

/** Transitions within one UTC year, found by sampling the offset daily and bisecting each change. */
function yearTable(timeZone: string, year: number): YearTable {
  const key = `${timeZone}|${year}`;
  const cached = yearTables.get(key);
  if (cached) return cached;
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const transitions: OffsetTransition[] = [];
  let before = intlOffset(timeZone, start);
  const startOffset = before;
  for (let t = start; t < end; t += DAY_MS) {
    const sampleAt = Math.min(t + DAY_MS, end);
    const after = intlOffset(timeZone, sampleAt);
    if (after !== before) {
      transitions.push({
        at: bisectTransition(timeZone, t, sampleAt, before),
        offsetBefore: before,
        offsetAfter: after,
      });
    }
    before = after;
  }
  // A change found exactly at `end` belongs to the next year's table.
  const table = { startOffset, transitions: transitions.filter((t) => t.at < end) };
  if (yearTables.size >= MAX_CACHED_YEARS) yearTables.clear();
  yearTables.set(key, table);
  return table;
}

/** First whole second in (from, to] whose offset differs from `offsetAtFrom`. Transitions fall on seconds. */
function bisectTransition(timeZone: string, from: number, to: number, offsetAtFrom: number): number {
  let low = from;
  let high = to;
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (intlOffset(timeZone, middle) === offsetAtFrom) low = middle;
    else high = middle;
  }
  return high;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function intlOffset(timeZone: string, instant: number): number {
  return intlWallTime(timeZone, instant) - Math.floor(instant / 1000) * 1000;
}

/**
 * The wall time (to the second) at `instant`, read from Intl each call, without the tables: the ground
 * truth they are built from, and what a test checks them against.
 */
export function intlWallTime(timeZone: string, instant: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second);
}
