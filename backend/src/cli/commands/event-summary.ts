import type { TaskEventView } from '../api-types';
import { describeSchedule, oneLine, type ScheduleJson } from '../format';

/**
 * One line saying what an event recorded, for the `events` table. Reads the data by shape: a server
 * newer than this CLI may send event types or fields it does not know, shown as compact JSON.
 */
export function summarizeEvent({ type, data }: TaskEventView): string {
  const occurrence = `#${text(data.occurrence)} attempt ${text(data.attempt)}`;
  switch (type) {
    case 'TaskRegistered': {
      const definition = (data.definition ?? {}) as { name?: unknown; schedule?: ScheduleJson };
      const schedule = definition.schedule ? `, ${describeSchedule(definition.schedule)}` : '';
      return oneLine(`"${text(definition.name)}"${schedule}`, 80) + firstDue(data.firstOccurrence);
    }
    case 'TaskUpdated': {
      const changes = Object.entries((data.changes ?? {}) as Record<string, unknown>);
      return oneLine(changes.map(([field, value]) => `${field}: ${JSON.stringify(value)}`).join(', '), 80);
    }
    case 'TaskScheduled':
      return `${occurrence} due ${text(data.dueAt)}${planned(data)} (${text(data.reason)})`;
    case 'TaskExecutionStarted':
      return `${occurrence} started by ${text(data.workerId)}`;
    case 'TaskExecuted': {
      const error = typeof data.error === 'string' ? `: ${data.error}` : '';
      return oneLine(`${occurrence} ${text(data.outcome)} in ${text(data.durationMs)} ms${error}`, 80);
    }
    case 'TaskOccurrenceSkipped':
      return `#${text(data.occurrence)} due ${text(data.dueAt)} skipped (${text(data.reason)})`;
    case 'TaskOccurrenceWaiting':
      return `${occurrence} waits for a slot of ${text(data.concurrencyKey)} since ${text(data.waitingSince)}`;
    case 'TaskPaused':
    case 'TaskResumed':
    case 'TaskCompleted':
    case 'TaskDeleted':
      return '-'; // the type and the instant say it all
    case 'TaskHistoryTruncated':
      return `revisions through ${text(data.throughRevision)} removed (recorded before ${text(data.olderThan)})`;
    default:
      return oneLine(JSON.stringify(data), 80);
  }
}

/** A registration's first occurrence, when it carries one (ADR 021), said as a TaskScheduled is. */
function firstDue(first: unknown): string {
  if (typeof first !== 'object' || first === null) return '';
  const data = first as Record<string, unknown>;
  return `; #1 due ${text(data.dueAt)}${planned(data)}`;
}

/** A jittered occurrence's planned start, after its due time. */
function planned(data: Record<string, unknown>): string {
  return data.plannedAt === undefined ? '' : `, planned ${text(data.plannedAt)}`;
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '?';
}
