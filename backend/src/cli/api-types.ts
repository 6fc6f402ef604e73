import type { ScheduleJson } from './format';

/** The API's answers, as far as the CLI reads them (backend/src/task-queries, backend/src/tasks/http). */

export interface CommandResponse {
  id: string;
  revision: number;
  position: number;
}

export interface TaskListItem {
  id: string;
  name: string;
  status: string;
  schedule: ScheduleJson;
  nextDueAt: string | null;
  lastOutcome: string | null;
  lastExecutionAt: string | null;
  revision: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ExecutionSummary {
  occurrence: number;
  attempt: number;
  outcome: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  error?: string;
}

export interface TaskView {
  id: string;
  name: string;
  description?: string;
  schedule: ScheduleJson;
  action: { kind: string; message?: string; url?: string; method?: string; headers?: Record<string, string> };
  retry?: { maxAttempts?: number; backoffMs?: number; backoffFactor?: number; maxBackoffMs?: number };
  timeoutMs: number;
  overlap: string;
  misfire: string;
  status: string;
  revision: number;
  bucket: number;
  registeredAt: string;
  nextDueAt: string | null;
  nextOccurrences: string[];
  lastExecution: ExecutionSummary | null;
}

export interface ExecutionView {
  taskId: string;
  occurrence: number;
  attempt: number;
  dueAt: string | null;
  startedAt: string;
  finishedAt: string | null;
  outcome: string | null;
  lagMs: number | null;
  durationMs: number | null;
  workerId: string | null;
  output: string | null;
  error: string | null;
}

/** GET /api/tasks/{id}/occurrences (task-queries/list-occurrences/list-occurrences.dto.ts). */
export interface OccurrenceItem {
  dueAt: string;
  kind: 'schedule' | 'manual' | 'catch_up';
  status: 'executed' | 'running' | 'scheduled' | 'skipped' | 'paused' | 'misfired' | 'upcoming' | 'missing';
  occurrence?: number;
  reason?: string;
  outcome?: string;
  attempts?: number;
  startedAt?: string;
  finishedAt?: string;
  lagMs?: number;
  coveredBy?: number;
}

export interface OccurrenceLedger {
  taskId: string;
  from: string;
  to: string;
  now: string;
  items: OccurrenceItem[];
  counts: Record<OccurrenceItem['status'], number>;
}

/** GET /api/tasks/{id}/events (tasks/task-history/task-events.dto.ts). */
export interface TaskEventView {
  type: string;
  revision: number;
  position: number;
  recordedAt: string;
  data: Record<string, unknown>;
}

/** GET /api/tasks/{id}?asOf= (tasks/task-history/task-as-of.dto.ts). */
export interface TaskAsOfView extends TaskView {
  recordedAt: string;
}

/** GET /api/tasks/{id}/diff?from=&to=. */
export interface TaskDiffView {
  from: { revision: number; recordedAt: string };
  to: { revision: number; recordedAt: string };
  changes: { field: string; before: unknown; after: unknown }[];
}
