/**
 * Which recorded events call for a failure alert, and what the alert says (ADR 020). Pure: the alerter
 * (failure-alerter.ts) reads the log, asks the read model about the task, and sends what this builds.
 */
import type { FailureAlert } from '../../tasks/domain/task';
import type { ExecutionOutcome } from '../../tasks/domain/task.events';

/** An event of the log as the alerter reads it (RecordedEvent, with its data not yet checked). */
export interface LoggedEvent {
  streamId: string;
  type: string;
  data: unknown;
  position: number;
}

/** A fact on record that someone may have to be told about. */
export interface AlertCause {
  kind: 'occurrence_failed' | 'occurrence_misfired';
  taskId: string;
  occurrence: number;
  /** The attempt that failed for good; 0 for a misfire (no attempt was made). */
  attempt: number;
  outcome: Exclude<ExecutionOutcome, 'succeeded'> | 'misfired';
  /** When it was recorded: the attempt's end, or the skip. */
  at: string;
  /** The misfired occurrence's due time (a failure's comes from the read model). */
  dueAt?: string;
  error?: string;
  position: number;
}

const TASK_STREAM = /^task-([0-9a-f-]{36})$/i;
const FAILED = new Set<string>(['failed', 'timed_out', 'lost']);

/**
 * The cause an event records, or null: a TaskExecuted that did not succeed and is marked `final` (the
 * decider scheduled no retry), or a TaskOccurrenceSkipped for a misfire. Everything else, and events
 * older than the `final` mark, call for nothing. Cheap: it runs on every event of the log.
 */
export function alertCause(event: LoggedEvent): AlertCause | null {
  if (event.type !== 'TaskExecuted' && event.type !== 'TaskOccurrenceSkipped') return null;
  const taskId = TASK_STREAM.exec(event.streamId)?.[1];
  const data = event.data as Record<string, unknown> | null;
  if (!taskId || typeof data !== 'object' || data === null) return null;
  const occurrence = data.occurrence;
  if (typeof occurrence !== 'number') return null;
  if (event.type === 'TaskExecuted') {
    if (data.final !== true || !FAILED.has(String(data.outcome)) || typeof data.attempt !== 'number')
      return null;
    return {
      kind: 'occurrence_failed',
      taskId,
      occurrence,
      attempt: data.attempt,
      outcome: data.outcome as AlertCause['outcome'],
      at: String(data.finishedAt),
      ...(typeof data.error === 'string' ? { error: data.error } : {}),
      position: event.position,
    };
  }
  if (data.reason !== 'misfire') return null;
  return {
    kind: 'occurrence_misfired',
    taskId,
    occurrence,
    attempt: 0,
    outcome: 'misfired',
    at: String(data.skippedAt),
    dueAt: String(data.dueAt),
    position: event.position,
  };
}

/** What the alerter learns of the task from the read model. */
export interface AlertedTask {
  name: string;
  onFailure: FailureAlert;
  /** The occurrence's due time (its first attempt's), when the read model has it. */
  dueAt?: string;
}

/** The JSON body of an alert: which task, which occurrence, what became of it, and where to look. */
export interface AlertBody {
  kind: AlertCause['kind'];
  task: { id: string; name: string };
  occurrence: number;
  attempt: number;
  outcome: AlertCause['outcome'];
  dueAt: string | null;
  error?: string;
  at: string;
  link: string;
}

export function alertBody(cause: AlertCause, task: AlertedTask, publicUrl: string): AlertBody {
  return {
    kind: cause.kind,
    task: { id: cause.taskId, name: task.name },
    occurrence: cause.occurrence,
    attempt: cause.attempt,
    outcome: cause.outcome,
    dueAt: cause.dueAt ?? task.dueAt ?? null,
    ...(cause.error === undefined ? {} : { error: cause.error }),
    at: cause.at,
    link: `${publicUrl}/tasks/${cause.taskId}`,
  };
}

/** The same for every delivery of one alert, so receivers can drop repeats (at least once). */
export function alertIdempotencyKey(cause: AlertCause): string {
  return `alert:${cause.taskId}:${cause.occurrence}:${cause.attempt}`;
}

/** The request headers of an alert: the task's own, then Kairos's, which replace any of the same name. */
export function alertHeaders(cause: AlertCause, alert: FailureAlert): Record<string, string> {
  const kairos: Record<string, string> = {
    'content-type': 'application/json',
    'idempotency-key': alertIdempotencyKey(cause),
    'kairos-alert': cause.kind,
    'kairos-task-id': cause.taskId,
    'kairos-occurrence': String(cause.occurrence),
  };
  const own = Object.entries(alert.headers ?? {}).filter(([name]) => !(name.toLowerCase() in kairos));
  const agent: Record<string, string> = own.some(([name]) => name.toLowerCase() === 'user-agent')
    ? {}
    : { 'user-agent': 'Kairos/0.1' };
  return { ...agent, ...Object.fromEntries(own), ...kairos };
}
