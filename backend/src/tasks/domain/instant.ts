/** Instants as the domain reads and writes them: ISO 8601 strings that name their offset. */

const INSTANT_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Reads an ISO 8601 instant with `Z` or a `±hh:mm` offset, or returns null. Stricter than Date.parse,
 * which reads a missing offset as the server's local time and rolls 30 February over into March.
 */
export function parseInstant(text: string): Date | null {
  const known = recent.timeOf(text);
  if (known !== undefined) return new Date(known);
  const canonical = canonicalTime(text);
  if (typeof canonical === 'number') recent.remember(canonical, text);
  const time = canonical ?? parsedTime(text);
  return time === null ? null : new Date(time);
}

/** An instant in the form Kairos writes (toISOString); throws on an invalid date, as toISOString does. */
export function formatInstant(date: Date): string {
  const time = date.getTime();
  const known = recent.textOf(time);
  if (known !== undefined) return known;
  const text = date.toISOString();
  if (text.length === 24) recent.remember(time, text); // years 0-9999: the form canonicalTime reads
  return text;
}

/**
 * The last two instants read or written in the canonical form, each as time and text. A registration
 * reads its due instant twice (validation, first occurrence) and writes it back as its first due
 * time; a batch of commands writes one `now` for every task. Both ways are pure, so a remembered answer
 * is the answer.
 */
class RecentInstants {
  // Slot 0 is the most recent. No text equals undefined and no time equals NaN, so empty slots never match.
  private readonly texts: (string | undefined)[] = [undefined, undefined];
  private readonly times: number[] = [NaN, NaN];

  timeOf(text: string): number | undefined {
    if (text === this.texts[0]) return this.times[0];
    if (text !== this.texts[1]) return undefined;
    this.promote();
    return this.times[0];
  }

  textOf(time: number): string | undefined {
    if (time === this.times[0]) return this.texts[0];
    if (time !== this.times[1]) return undefined;
    this.promote();
    return this.texts[0];
  }

  remember(time: number, text: string): void {
    this.texts[1] = this.texts[0];
    this.times[1] = this.times[0];
    this.texts[0] = text;
    this.times[0] = time;
  }

  private promote(): void {
    this.remember(this.times[1], this.texts[1] as string);
  }
}

const recent = new RecentInstants();

/**
 * The form Kairos writes (toISOString: `2026-11-24T09:00:00.000Z`), read without the pattern: every
 * instant of a registration is read three times (the schema, the decider, the first occurrence), and
 * the pattern's captures cost five times this. Undefined for any other form; null for a bad date.
 */
function canonicalTime(text: string): number | null | undefined {
  if (text.length !== 24) return undefined;
  for (const [at, code] of CANONICAL_SEPARATORS) if (text.charCodeAt(at) !== code) return undefined;
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  const h = digits(text, 11, 2);
  const mi = digits(text, 14, 2);
  const s = digits(text, 17, 2);
  const ms = digits(text, 20, 3);
  if ((y | mo | d | h | mi | s | ms) < 0) return undefined;
  return validTime(y, mo, d, h, mi, s, ms, 0);
}

/** `-` `-` `T` `:` `:` `.` `Z` by their places in the canonical form. */
const CANONICAL_SEPARATORS: readonly [number, number][] = [
  [4, 45],
  [7, 45],
  [10, 84],
  [13, 58],
  [16, 58],
  [19, 46],
  [23, 90],
];

/** The number written by `width` digits from `at`, or -1 when one of them is not a digit. */
function digits(text: string, at: number, width: number): number {
  let value = 0;
  for (let i = at; i < at + width; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function parsedTime(text: string): number | null {
  const match = INSTANT_PATTERN.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second = '0', fraction = '0', offset] = match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number);
  const offsetMinutes = parseOffsetMinutes(offset);
  if (offsetMinutes === null) return null;
  return validTime(y, mo, d, h, mi, s, Number(fraction.slice(0, 3).padEnd(3, '0')), offsetMinutes);
}

/** The instant of a wall time at an offset, or null when no such wall time exists (30 February). */
function validTime(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
  offsetMinutes: number,
): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  // Date.UTC reads years 0-99 as 1900-1999.
  return y < 100 ? null : Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMinutes * 60_000;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function parseOffsetMinutes(offset: string): number | null {
  if (offset.toUpperCase() === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours, minutes] = offset.slice(1).split(':').map(Number);
  return hours <= 23 && minutes <= 59 ? sign * (hours * 60 + minutes) : null;
}
