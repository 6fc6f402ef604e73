import cronstrue from 'cronstrue';
import { formatAbsolute } from '../time/instants';
import type { Schedule } from './task.model';

/** A schedule in words: "At 09:00, Monday through Friday (Europe/Berlin)", "every 30 s", "once at …". */
export function describeSchedule(schedule: Schedule): string {
  switch (schedule.kind) {
    case 'cron':
      return `${describeCron(schedule.expression) ?? schedule.expression} (${schedule.timezone})`;
    case 'interval':
      return `every ${describeSeconds(schedule.everySeconds)}`;
    case 'once':
      return `once at ${formatAbsolute(schedule.at)}`;
    default: {
      const unknown: never = schedule;
      return JSON.stringify(unknown);
    }
  }
}

/** cronstrue's description, or null when it cannot read the expression. */
export function describeCron(expression: string): string | null {
  try {
    return cronstrue.toString(expression, { use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    return null;
  }
}

const SPANS: [string, number][] = [
  ['d', 86_400],
  ['h', 3600],
  ['min', 60],
];

export function describeSeconds(seconds: number): string {
  for (const [unit, size] of SPANS) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size} ${unit}`;
  }
  return `${seconds} s`;
}
