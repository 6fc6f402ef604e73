/**
 * Cron occurrences in an IANA zone, with one daylight-saving rule that we own (ADR 004).
 *
 * croner is used only as a calculator of wall-clock matches: it runs at UTC offset 0 on "wall" times
 * (see time-zones.ts) and never starts a timer (no callback is given). The mapping from wall times to
 * instants, where daylight saving makes it ambiguous, is ours:
 *
 * - Fixed-time expressions (seconds, minutes and hours hold only numbers, lists and ranges, as in
 *   `30 2 * * *` or `0 30 2,14 * * *`) mean "at this wall time each day":
 *   - a wall time that does not exist (spring-forward gap) fires once, shifted by the gap's length,
 *     i.e. read with the offset in force before the gap: 02:30 becomes 03:30 after a 02:00→03:00 jump
 *     (as RFC 5545, java.time and Temporal's "compatible" do);
 *   - a wall time that occurs twice (fall-back) fires once, at its first occurrence.
 * - Interval expressions (a `*`, `?` or `/` in seconds, minutes or hours, as in `*\/15 * * * *` or
 *   `0 * * * *`) mean "on this grid of real time": wall times in a gap do not exist and are skipped,
 *   and a repeated wall time fires on both passes, so every real instant on the grid fires once.
 *
 * croner's own zone mode agrees except in the gap, where it fires every gap time at the end of the gap
 * (02:30 at 03:00), and it counts lists and ranges as interval expressions by default.
 */
import { Cron } from 'croner';
import { zoneSegmentAt, type ZoneSegment } from './time-zones';

export interface CronSpec {
  expression: string;
  timezone: string;
  /** Inclusive bounds in ms, -Infinity / Infinity when open. */
  startAt: number;
  endAt: number;
}

/** Enough segments (two a year) to cross any schedule croner itself can still find. */
const MAX_SEGMENTS = 1000;

/** The fields of a 5- or 6-field expression; anything else (nicknames, a year field) is refused. */
export function cronFields(expression: string): string[] | null {
  const fields = expression.trim().split(/\s+/);
  return fields.length === 5 || fields.length === 6 ? fields : null;
}

export function isFixedTime(expression: string): boolean {
  const fields = cronFields(expression) ?? [];
  const timeFields = fields.length === 5 ? fields.slice(0, 2) : fields.slice(0, 3);
  return timeFields.every((field) => /^[\d,-]+$/.test(field));
}

/** Parses the expression (throws croner's error when it is invalid); cached, parsing is the costly part. */
export function wallClockCron(expression: string): Cron {
  let cron = parsed.get(expression);
  if (!cron) {
    cron = new Cron(expression, { utcOffset: 0, mode: '5-or-6-parts' });
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(expression, cron);
  }
  return cron;
}

const parsed = new Map<string, Cron>();
const MAX_PARSED = 10_000;

/** First wall-clock match at or after `wall`, or null when there is none. */
function wallMatchAtOrAfter(cron: Cron, wall: number): number | null {
  return cron.nextRun(new Date(wall - 1))?.getTime() ?? null;
}

/** Last wall-clock match at or before `wall`, or null when there is none. */
function wallMatchAtOrBefore(cron: Cron, wall: number): number | null {
  return cron.previousRuns(1, new Date(wall + 1))[0]?.getTime() ?? null;
}

/**
 * Memoised by all its inputs: a batch registers many tasks with the same few expressions at the same
 * `now`, and each asks for its first occurrence. Remembers only pure results.
 */
export function nextCronOccurrence(spec: CronSpec, after: number): number | null {
  const key = `${spec.expression}\u0000${spec.timezone}\u0000${spec.startAt}\u0000${spec.endAt}\u0000${after}`;
  const known = nextOccurrences.get(key);
  if (known !== undefined) return known;
  const next = computeNextCronOccurrence(spec, after);
  if (nextOccurrences.size >= MAX_REMEMBERED_NEXT) nextOccurrences.clear();
  nextOccurrences.set(key, next);
  return next;
}

const nextOccurrences = new Map<string, number | null>();
const MAX_REMEMBERED_NEXT = 1000;

function computeNextCronOccurrence(spec: CronSpec, after: number): number | null {
  const cron = wallClockCron(spec.expression);
  const fixed = isFixedTime(spec.expression);
  let from = Math.max(Math.floor(after) + 1, spec.startAt);
  for (let i = 0; i < MAX_SEGMENTS && from <= spec.endAt; i++) {
    const segment = zoneSegmentAt(spec.timezone, from);
    const candidates = [firstRegularFrom(cron, fixed, segment, from)];
    if (fixed) candidates.push(firstShiftedFrom(cron, segment, from));
    const found = candidates.filter((c): c is number => c !== null);
    if (found.length > 0) {
      const next = Math.min(...found);
      return next <= spec.endAt ? next : null;
    }
    if (segment.end === Infinity) return null;
    from = segment.end;
  }
  return null;
}

export function previousCronOccurrence(spec: CronSpec, before: number): number | null {
  const cron = wallClockCron(spec.expression);
  const fixed = isFixedTime(spec.expression);
  let until = Math.min(Math.ceil(before) - 1, spec.endAt);
  for (let i = 0; i < MAX_SEGMENTS && until >= spec.startAt; i++) {
    const segment = zoneSegmentAt(spec.timezone, until);
    const candidates = [lastRegularUntil(cron, fixed, segment, until)];
    if (fixed) candidates.push(lastShiftedUntil(cron, segment, until));
    const found = candidates.filter((c): c is number => c !== null);
    if (found.length > 0) {
      const previous = Math.max(...found);
      return previous >= spec.startAt ? previous : null;
    }
    if (segment.start === -Infinity) return null;
    until = segment.start - 1;
  }
  return null;
}

/** Length of the repeated stretch at the start of a segment that follows a fall-back, else 0. */
function repeatedLength(segment: ZoneSegment): number {
  return Math.max(0, segment.offsetBefore - segment.offset);
}

/** First instant >= from in the segment whose wall time matches (a fixed time fires on the first pass only). */
function firstRegularFrom(cron: Cron, fixed: boolean, segment: ZoneSegment, from: number): number | null {
  const secondPassEnd = segment.start + repeatedLength(segment);
  const start = fixed ? Math.max(from, secondPassEnd) : from;
  const wall = wallMatchAtOrAfter(cron, start + segment.offset);
  if (wall === null || wall - segment.offset >= segment.end) return null;
  return wall - segment.offset;
}

function lastRegularUntil(cron: Cron, fixed: boolean, segment: ZoneSegment, until: number): number | null {
  const wall = wallMatchAtOrBefore(cron, until + segment.offset);
  if (wall === null) return null;
  const instant = wall - segment.offset;
  const earliest = fixed ? segment.start + repeatedLength(segment) : segment.start;
  return instant >= earliest ? instant : null;
}

/** Gap wall times of a fixed-time expression, read with the offset before the gap, land here. */
function shiftedRange(segment: ZoneSegment): { wallFrom: number; wallTo: number } | null {
  if (segment.offset <= segment.offsetBefore) return null;
  return { wallFrom: segment.start + segment.offsetBefore, wallTo: segment.start + segment.offset };
}

function firstShiftedFrom(cron: Cron, segment: ZoneSegment, from: number): number | null {
  const gap = shiftedRange(segment);
  if (!gap) return null;
  const wall = wallMatchAtOrAfter(cron, Math.max(from + segment.offsetBefore, gap.wallFrom));
  return wall !== null && wall < gap.wallTo ? wall - segment.offsetBefore : null;
}

function lastShiftedUntil(cron: Cron, segment: ZoneSegment, until: number): number | null {
  const gap = shiftedRange(segment);
  if (!gap) return null;
  const wall = wallMatchAtOrBefore(cron, Math.min(until + segment.offsetBefore, gap.wallTo - 1));
  return wall !== null && wall >= gap.wallFrom ? wall - segment.offsetBefore : null;
}
