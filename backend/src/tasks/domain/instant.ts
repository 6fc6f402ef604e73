/** Instants as the domain reads them: ISO 8601 strings that name their offset. */

const INSTANT_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Reads an ISO 8601 instant with `Z` or a `±hh:mm` offset, or returns null. Stricter than Date.parse,
 * which reads a missing offset as the server's local time and rolls 30 February over into March.
 */
export function parseInstant(text: string): Date | null {
  let time = parsedInstants.get(text);
  if (time === undefined) {
    time = parseInstantTime(text);
    if (parsedInstants.size >= MAX_REMEMBERED_INSTANTS) parsedInstants.clear();
    parsedInstants.set(text, time);
  }
  return time === null ? null : new Date(time);
}

/**
 * Instants read lately (an instant is read when it is validated, again when decided on and again
 * for its occurrence): pure results only, and a new Date each time, so no caller shares one.
 */
const parsedInstants = new Map<string, number | null>();
const MAX_REMEMBERED_INSTANTS = 256;

function parseInstantTime(text: string): number | null {
  const match = INSTANT_PATTERN.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second = '0', fraction = '0', offset] = match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number);
  const offsetMinutes = parseOffsetMinutes(offset);
  if (h > 23 || mi > 59 || s > 59 || offsetMinutes === null) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, Number(fraction.slice(0, 3).padEnd(3, '0')));
  const check = new Date(wall);
  const sameDate = check.getUTCFullYear() === y && check.getUTCMonth() === mo - 1 && check.getUTCDate() === d;
  return sameDate ? wall - offsetMinutes * 60_000 : null;
}

function parseOffsetMinutes(offset: string): number | null {
  if (offset.toUpperCase() === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours, minutes] = offset.slice(1).split(':').map(Number);
  return hours <= 23 && minutes <= 59 ? sign * (hours * 60 + minutes) : null;
}
