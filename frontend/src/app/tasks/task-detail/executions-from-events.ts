import { formatAbsolute } from '../../time/instants';
import type { Execution, ExecutionOutcome, TaskEvent } from '../task.model';

interface StartedData {
  occurrence: number;
  attempt: number;
  dueAt: string;
  startedAt: string;
  workerId: string;
}
interface ExecutedData {
  occurrence: number;
  attempt: number;
  outcome: ExecutionOutcome;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  output?: string;
  error?: string;
}

/**
 * A task's executions read from its own event stream, newest first: what the detail page shows when the
 * server has no executions endpoint (read model) yet. The events hold every field the table needs.
 */
export function executionsFromEvents(taskId: string, events: readonly TaskEvent[]): Execution[] {
  const byKey = new Map<string, Execution>();
  for (const event of events) {
    if (event.type === 'TaskExecutionStarted') {
      const data = event.data as StartedData;
      byKey.set(`${data.occurrence}/${data.attempt}`, {
        taskId,
        occurrence: data.occurrence,
        attempt: data.attempt,
        dueAt: data.dueAt,
        startedAt: data.startedAt,
        finishedAt: null,
        outcome: null,
        lagMs: Date.parse(data.startedAt) - Date.parse(data.dueAt),
        durationMs: null,
        workerId: data.workerId,
        output: null,
        error: null,
      });
    } else if (event.type === 'TaskExecuted') {
      const data = event.data as ExecutedData;
      const key = `${data.occurrence}/${data.attempt}`;
      const started = byKey.get(key);
      byKey.set(key, {
        taskId,
        occurrence: data.occurrence,
        attempt: data.attempt,
        dueAt: started?.dueAt ?? data.startedAt,
        startedAt: data.startedAt,
        finishedAt: data.finishedAt,
        outcome: data.outcome,
        lagMs: started?.lagMs ?? null,
        durationMs: data.durationMs,
        workerId: started?.workerId ?? null,
        output: data.output ?? null,
        error: data.error ?? null,
      });
    }
  }
  return [...byKey.values()].reverse();
}

/** One line saying what an event did, for the timeline. */
export function summarizeEvent(event: TaskEvent): string {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const run = `run ${String(data['occurrence'])}${Number(data['attempt']) > 1 ? `, attempt ${String(data['attempt'])}` : ''}`;
  switch (event.type) {
    case 'TaskRegistered':
      return 'Registered';
    case 'TaskUpdated':
      return `Changed ${Object.keys((data['changes'] as object | undefined) ?? {}).join(', ') || 'nothing'}`;
    case 'TaskScheduled':
      return `Scheduled ${run} for ${formatAbsolute(String(data['dueAt']))} (${String(data['reason'])})`;
    case 'TaskExecutionStarted':
      return `Started ${run} on ${String(data['workerId'])}`;
    case 'TaskExecuted':
      return `Finished ${run}: ${String(data['outcome']).replace('_', ' ')} in ${String(data['durationMs'])} ms`;
    case 'TaskOccurrenceSkipped':
      return `Skipped run ${String(data['occurrence'])} (${String(data['reason'])})`;
    case 'TaskPaused':
      return 'Paused';
    case 'TaskResumed':
      return 'Resumed';
    case 'TaskCompleted':
      return 'Completed';
    case 'TaskDeleted':
      return 'Deleted';
    default:
      return event.type;
  }
}
