import { TASK_DEFAULTS } from '../../../contracts/limits';
import type { TaskView } from '../app/tasks/task.model';

export const TASK_ID = '0b6f1c9e-6f33-4d5e-9d3a-2f4f0d1e0a11';

const { retry, timeoutMs, overlap, misfire } = TASK_DEFAULTS;

/** The policies a task has when its definition names none (the server's defaults, contracts/limits.ts). */
export const DEFAULT_POLICIES = { retry: { ...retry }, timeoutMs, overlap, misfire };

/** A task as GET /api/tasks/:id answers it: an active cron task that logs, with these fields changed. */
export function taskView(fields: Partial<TaskView> = {}): TaskView {
  return {
    id: TASK_ID,
    name: 'report',
    schedule: { kind: 'cron', expression: '*/2 * * * * *', timezone: 'UTC' },
    action: { kind: 'log', message: 'hi' },
    ...DEFAULT_POLICIES,
    status: 'active',
    revision: 4,
    bucket: 7,
    registeredAt: '2026-11-24T09:00:00Z',
    nextDueAt: null,
    nextOccurrences: [],
    lastExecution: null,
    ...fields,
  };
}
