/**
 * Which days of a month a calendar marks as excluded, for the editor's month view: a day is marked
 * when any instant of it (in the calendar's zone) is excluded. Pure, and independent of the server:
 * the month view follows the rows being edited before they are saved.
 *
 * - `{ date }`: that day;
 * - `{ from, to }`: every day from the one holding `from` to the one holding the last excluded
 *   instant (`to` is exclusive), read in the calendar's zone;
 * - `{ cron }`: each day whose day-of-month, month and weekday fields match (as cron reads them: when
 *   both day fields are restricted, either may match). The time fields of a valid expression match
 *   some time of every day, so they do not decide the day.
 */
export type ExclusionValue = { date: string } | { from: string; to: string } | { cron: string };

export interface MonthRef {
  year: number;
  /** 1 to 12. */
  month: number;
}

/** The days (1 to 31) of `month` that the exclusions mark, in `timeZone`. Rows that do not parse mark nothing. */
export function excludedDaysOfMonth(
  exclusions: readonly ExclusionValue[],
  timeZone: string,
  { year, month }: MonthRef,
): Set<number> {
  const marked = new Set<number>();
  const days = daysInMonth(year, month);
  for (const exclusion of exclusions) {
    if ('date' in exclusion) {
      const [y, m, d] = exclusion.date.split('-').map(Number);
      if (y === year && m === month && d >= 1 && d <= days) marked.add(d);
    } else if ('cron' in exclusion) {
      const matcher = cronDayMatcher(exclusion.cron);
      if (!matcher) continue;
      for (let d = 1; d <= days; d++) if (matcher(year, month, d)) marked.add(d);
    } else {
      const from = Date.parse(exclusion.from);
      const to = Date.parse(exclusion.to);
      if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) continue;
      const first = localDay(from, timeZone);
      const last = localDay(to - 1, timeZone);
      if (!first || !last) continue;
      for (let d = 1; d <= days; d++) {
        const day = isoDay(year, month, d);
        if (day >= first && day <= last) marked.add(d);
      }
    }
  }
  return marked;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Weekday (0 = Sunday) of a date, independent of any zone. */
export function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

export function isoDay(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `YYYY-MM-DD` of an instant in a zone, or null when the zone is unknown. */
export function localDay(instant: number, timeZone: string): string | null {
  try {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).formatToParts(new Date(instant));
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${part('year')}-${part('month')}-${part('day')}`;
  } catch {
    return null;
  }
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** A matcher of the expression's day fields, or null when they cannot be read. */
export function cronDayMatcher(
  expression: string,
): ((year: number, month: number, day: number) => boolean) | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return null;
  const [dom, mon, dow] = fields.slice(-3);
  const days = fieldValues(dom, 1, 31, []);
  const months = fieldValues(mon, 1, 12, MONTHS, 1);
  const weekdays = fieldValues(dow, 0, 7, WEEKDAYS);
  if (!days || !months || !weekdays) return null;
  if (weekdays.has(7)) weekdays.add(0); // 7 is Sunday too
  const domAny = isWildcard(dom);
  const dowAny = isWildcard(dow);
  return (year, month, day) => {
    if (!months.has(month)) return false;
    const byDay = days.has(day);
    const byWeekday = weekdays.has(weekdayOf(year, month, day));
    if (domAny && dowAny) return true;
    if (domAny) return byWeekday;
    if (dowAny) return byDay;
    return byDay || byWeekday;
  };
}

function isWildcard(field: string): boolean {
  return field === '*' || field === '?';
}

/** The values a field allows: `*`, `?`, numbers, names, ranges, steps and lists; null when unreadable. */
function fieldValues(
  field: string,
  min: number,
  max: number,
  names: readonly string[],
  nameBase = 0,
): Set<number> | null {
  const values = new Set<number>();
  const value = (text: string): number | null => {
    const named = names.indexOf(text.toUpperCase());
    if (named >= 0) return named + nameBase;
    if (!/^\d+$/.test(text)) return null;
    const number = Number(text);
    return number >= min && number <= max ? number : null;
  };
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return null;
    let low: number | null;
    let high: number | null;
    if (range === '*' || range === '?') {
      low = min;
      high = max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      low = value(a);
      high = value(b);
    } else {
      low = value(range);
      high = stepText === undefined ? low : max;
    }
    if (low === null || high === null || high < low) return null;
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return values;
}
