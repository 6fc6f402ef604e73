import { formatAbsolute } from '../../../time/instants';
import type { TaskEvent } from '../../task.model';

/** One line saying what an event did, for the timeline. */
export function summarizeEvent(event: TaskEvent): string {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const run = `run ${String(data['occurrence'])}${Number(data['attempt']) > 1 ? `, attempt ${String(data['attempt'])}` : ''}`;
  switch (event.type) {
    case 'TaskRegistered':
      return `Registered${firstRun(data['firstOccurrence'])}`;
    case 'TaskUpdated':
      return `Changed ${Object.keys((data['changes'] as object | undefined) ?? {}).join(', ') || 'nothing'}`;
    case 'TaskScheduled':
      return `Scheduled ${run} for ${formatAbsolute(String(data['dueAt']))}${jittered(data)} (${String(data['reason'])})`;
    case 'TaskExecutionStarted':
      return `Started ${run} on ${String(data['workerId'])}`;
    case 'TaskExecuted':
      return `Finished ${run}: ${String(data['outcome']).replace('_', ' ')} in ${String(data['durationMs'])} ms`;
    case 'TaskOccurrenceSkipped':
      return `Skipped run ${String(data['occurrence'])} (${String(data['reason'])})`;
    case 'TaskOccurrenceWaiting':
      return `Waiting: ${run} waits for a slot of concurrency key ${String(data['concurrencyKey'])}`;
    case 'TaskPaused':
      return 'Paused';
    case 'TaskResumed':
      return 'Resumed';
    case 'TaskCompleted':
      return 'Completed';
    case 'TaskDeleted':
      return 'Deleted';
    case 'TaskHistoryTruncated':
      return `History through revision ${String(data['throughRevision'])} removed by retention (recorded before ${formatAbsolute(String(data['olderThan']))})`;
    default:
      return event.type;
  }
}

/** A registration carries its first run (run 1, attempt 1) unless its schedule has none. */
function firstRun(first: unknown): string {
  if (typeof first !== 'object' || first === null) return '';
  const data = first as Record<string, unknown>;
  return `; run 1 scheduled for ${formatAbsolute(String(data['dueAt']))}${jittered(data)}`;
}

/** A jittered occurrence starts at its planned time, after its due time. */
function jittered(data: Record<string, unknown>): string {
  const planned = data['plannedAt'];
  return typeof planned === 'string' ? `, jittered to ${formatAbsolute(planned)}` : '';
}
