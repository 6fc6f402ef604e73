/** Instants as people read them: relative ("in 3 s") and absolute, in the viewer's zone unless told. */

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

export function formatRelative(at: string | number, now: number): string {
  const diff = (typeof at === 'number' ? at : Date.parse(at)) - now;
  if (Math.abs(diff) < 1000) return 'now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size || unit === 'second') return relative.format(Math.trunc(diff / size), unit);
  }
  return '';
}

const absoluteFormats = new Map<string, Intl.DateTimeFormat>();

/** `Mon, 24 Nov 2026, 09:00:05 CET`: seconds shown, since tasks can fire every second. */
export function formatAbsolute(at: string | number, timeZone?: string): string {
  const key = timeZone ?? '';
  let format = absoluteFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'short',
      ...(timeZone ? { timeZone } : {}),
    });
    absoluteFormats.set(key, format);
  }
  return format.format(typeof at === 'number' ? at : Date.parse(at));
}

/** `1.2 s`, `340 ms`, `2 min 5 s`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.abs(ms) < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}
