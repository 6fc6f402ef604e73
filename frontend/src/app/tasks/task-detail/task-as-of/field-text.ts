import { formatDuration } from '../../../time/instants';
import { labelTexts } from '../../labels';
import { describeSchedule } from '../../schedule-text';
import type { Action, FieldChange, MisfirePolicy, RetryPolicy, Schedule, TaskView } from '../../task.model';

/** A definition field's value in words, for the diff: "every 1 h", "POST https://…", "3 attempts, …". */
export function describeField(field: FieldChange['field'], value: unknown): string {
  if (value === null || value === undefined) return '–';
  switch (field) {
    case 'labels':
      return labelTexts(value as Record<string, string>).join(' · ') || 'none';
    case 'schedule':
      return describeSchedule(value as Schedule) + cronExpression(value as Schedule);
    case 'action':
      return describeAction(value as Action);
    case 'onFailure':
      return describeAction({ ...(value as NonNullable<TaskView['onFailure']>), method: 'POST' });
    case 'retry':
      return describeRetry(value as RetryPolicy);
    case 'timeoutMs':
      return formatDuration(value as number);
    case 'misfire':
      return (value as MisfirePolicy).replace('_', ' ');
    case 'jitterMs':
      return value ? `up to ${formatDuration(value as number)}` : 'none';
    case 'concurrency': {
      const { key, limit } = value as { key: string; limit: number };
      return `key ${key}, at most ${limit} at once`;
    }
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

function cronExpression(schedule: Schedule): string {
  return schedule.kind === 'cron' ? ` · ${schedule.expression}` : '';
}

function describeAction(action: Action): string {
  if (action.kind === 'log') return `Log “${action.message}”`;
  const headers = Object.entries(action.headers ?? {}).map(([name, value]) => `${name}: ${value}`);
  return [`${action.method} ${action.url}`, ...headers].join(' · ');
}

function describeRetry(retry: RetryPolicy): string {
  return (
    `${retry.maxAttempts} attempts, first retry after ${formatDuration(retry.backoffMs)}, ` +
    `×${retry.backoffFactor}, at most ${formatDuration(retry.maxBackoffMs)}`
  );
}
