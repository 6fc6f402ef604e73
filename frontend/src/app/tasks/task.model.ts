/**
 * The task API's shapes as the GUI reads them (backend: tasks/http/task-definition.dto.ts,
 * tasks/get-task/task-view.ts, and the query API). Instants are ISO 8601 strings.
 */
export type TaskStatus = 'active' | 'paused' | 'completed' | 'deleted';
export type ExecutionOutcome = 'succeeded' | 'failed' | 'timed_out' | 'lost';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
export type OverlapPolicy = 'skip' | 'allow';
export type MisfirePolicy = 'fire_once' | 'skip' | 'fire_all';

export type Schedule =
  | { kind: 'once'; at: string }
  | { kind: 'cron'; expression: string; timezone: string; startAt?: string; endAt?: string }
  | { kind: 'interval'; everySeconds: number; startAt?: string };

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type Action =
  | { kind: 'http'; url: string; method: HttpMethod; headers?: Record<string, string>; body?: JsonValue }
  | { kind: 'log'; message: string };

export interface RetryPolicy {
  maxAttempts: number;
  backoffMs: number;
  backoffFactor: number;
  maxBackoffMs: number;
}

/** The server's defaults (design brief section 1), shown in the form. */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 3,
  backoffMs: 1000,
  backoffFactor: 2,
  maxBackoffMs: 300_000,
};
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_OVERLAP: OverlapPolicy = 'skip';
export const DEFAULT_MISFIRE: MisfirePolicy = 'fire_once';

/** What POST /api/tasks takes (and, in part, PATCH). */
export interface TaskDefinition {
  name: string;
  description?: string;
  schedule: Schedule;
  action: Action;
  retry: RetryPolicy;
  timeoutMs: number;
  overlap: OverlapPolicy;
  misfire: MisfirePolicy;
}

export interface ExecutionSummary {
  occurrence: number;
  attempt: number;
  outcome: ExecutionOutcome;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  error?: string;
}

/** GET /api/tasks/{id}. */
export interface TaskView extends TaskDefinition {
  id: string;
  status: TaskStatus;
  revision: number;
  bucket: number;
  registeredAt: string;
  nextDueAt: string | null;
  nextOccurrences: string[];
  lastExecution: ExecutionSummary | null;
}

/** A row of GET /api/tasks. */
export interface TaskListItem {
  id: string;
  name: string;
  status: TaskStatus;
  schedule: Schedule;
  nextDueAt: string | null;
  lastOutcome: ExecutionOutcome | null;
  lastExecutionAt: string | null;
  revision: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Execution {
  taskId: string;
  occurrence: number;
  attempt: number;
  dueAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** null while it runs. */
  outcome: ExecutionOutcome | null;
  lagMs: number | null;
  durationMs: number | null;
  workerId: string | null;
  output: string | null;
  error: string | null;
}

/** Where a task's history starts when retention cut it (KAIROS_HISTORY_RETENTION): the first kept revision. */
export interface HistoryStart {
  revision: number;
  truncatedAt: string;
}

/** A page of a task's events; `historyStartsAt` is null (or absent) while the whole history is kept. */
export interface TaskEventPage extends Page<TaskEvent> {
  historyStartsAt?: HistoryStart | null;
}

export interface TaskEvent {
  type: string;
  revision: number;
  position: number;
  recordedAt: string;
  data: unknown;
}

/** GET /api/tasks/{id}?asOf=: the task as it was at a revision, folded from its event log. */
export interface TaskAsOf extends TaskView {
  /** When that revision was recorded. */
  recordedAt: string;
}

/** One definition field that differs between two revisions; null where it was unset. */
export interface FieldChange {
  field: keyof TaskDefinition;
  before: unknown;
  after: unknown;
}

/** GET /api/tasks/{id}/diff?from=&to=. */
export interface TaskDiff {
  from: { revision: number; recordedAt: string };
  to: { revision: number; recordedAt: string };
  changes: FieldChange[];
}

/** What every command answers: send `revision` as If-Match, `position` as ?minPosition=. */
export interface CommandResult {
  id: string;
  revision: number;
  position: number;
}

/** What became of a due instant (GET /api/tasks/{id}/occurrences). */
export type OccurrenceStatus =
  'executed' | 'running' | 'scheduled' | 'skipped' | 'paused' | 'misfired' | 'upcoming' | 'missing';
export const OCCURRENCE_STATUSES: readonly OccurrenceStatus[] = [
  'executed',
  'running',
  'scheduled',
  'skipped',
  'paused',
  'misfired',
  'upcoming',
  'missing',
];

export interface OccurrenceItem {
  dueAt: string;
  /** `schedule`: an instant of the schedule; `manual`: a trigger; `catch_up`: a resume's one run. */
  kind: 'schedule' | 'manual' | 'catch_up';
  status: OccurrenceStatus;
  occurrence?: number;
  /** Why it did not run: overlap, misfire, paused, rescheduled, deleted (calendar later). */
  reason?: string;
  outcome?: ExecutionOutcome;
  attempts?: number;
  startedAt?: string;
  finishedAt?: string;
  lagMs?: number;
  /** A misfired instant: the occurrence whose late run passed over it. */
  coveredBy?: number;
}

/** The occurrence ledger of a window [from, to), oldest first. */
export interface OccurrenceLedger {
  taskId: string;
  from: string;
  to: string;
  now: string;
  items: OccurrenceItem[];
  counts: Record<OccurrenceStatus, number>;
}
