/** Plain-text output: aligned tables and schedules in words. No colours. */

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers.map((h) => h.toUpperCase())), ...rows.map(line)].join('\n');
}

/** Whitespace folded to single spaces, cut to `max` characters with an ellipsis: one table cell. */
export function oneLine(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

/** Key-value lines, keys aligned. */
export function fields(entries: [string, string][]): string {
  const width = Math.max(...entries.map(([key]) => key.length));
  return entries.map(([key, value]) => `${`${key}:`.padEnd(width + 1)} ${value}`).join('\n');
}

export interface ScheduleJson {
  kind: string;
  at?: string;
  expression?: string;
  timezone?: string;
  everySeconds?: number;
  startAt?: string;
  endAt?: string;
}

export function describeSchedule(schedule: ScheduleJson): string {
  switch (schedule.kind) {
    case 'once':
      return `once at ${schedule.at ?? '?'}`;
    case 'cron': {
      let text = `cron "${schedule.expression ?? '?'}" in ${schedule.timezone ?? 'UTC'}`;
      if (schedule.startAt) text += ` from ${schedule.startAt}`;
      if (schedule.endAt) text += ` until ${schedule.endAt}`;
      return text;
    }
    case 'interval': {
      let text = `every ${describeSeconds(schedule.everySeconds ?? 0)}`;
      if (schedule.startAt) text += ` from ${schedule.startAt}`;
      return text;
    }
    default:
      return schedule.kind;
  }
}

export function describeSeconds(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, unit] of units) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return n === 1 ? unit : `${n} ${unit}s`;
    }
  }
  return seconds === 1 ? 'second' : `${seconds} seconds`;
}

/** An instant, and how far it is from now: `2026-11-24T09:00:00.000Z (in 5m)`. */
export function when(instant: string | null | undefined, now = Date.now()): string {
  if (!instant) return '-';
  const ms = Date.parse(instant) - now;
  if (Number.isNaN(ms)) return instant;
  return `${instant} (${relative(ms)})`;
}

function relative(ms: number): string {
  const abs = Math.abs(ms);
  const text =
    abs < 60_000
      ? `${Math.round(abs / 1000)}s`
      : abs < 3_600_000
        ? `${Math.round(abs / 60_000)}m`
        : abs < 86_400_000
          ? `${Math.round(abs / 3_600_000)}h`
          : `${Math.round(abs / 86_400_000)}d`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}
