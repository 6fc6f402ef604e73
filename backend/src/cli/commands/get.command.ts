import type { TaskAsOfView, TaskView } from '../api-types';
import { type Command, type OptionValues, printJson, stringOption, taskPath } from '../command';
import { UsageError } from '../errors';
import { describeSchedule, fields, when } from '../format';

export const getCommand: Command = {
  name: 'get',
  usage: 'get <id> [--as-of revision|instant]',
  summary: 'show a task: definition, status, next occurrences, last execution',
  help: [
    '--as-of r|t      the task as it was at revision r (0, 1, ...) or at an ISO instant t',
    '                 (the last revision recorded by then), folded from the event log',
  ],
  options: { 'as-of': { type: 'string' } },
  positionals: { min: 1, max: 1, names: '<id>' },
  async run({ args, values, client, io, json }) {
    const asOf = asOfOption(values);
    const task = await client.get<TaskView | TaskAsOfView>(taskPath(args[0] ?? ''), { asOf });
    if (json) return printJson(io, task);
    if ('recordedAt' in task) io.out(`as of revision ${task.revision}, recorded at ${task.recordedAt}`);
    const now = Date.now();
    const entries: [string, string][] = [
      ['id', task.id],
      ['name', task.name],
    ];
    if (task.description) entries.push(['description', task.description]);
    entries.push(
      ['status', task.status],
      ['schedule', describeSchedule(task.schedule)],
      ['action', describeAction(task.action)],
      ['retry', task.retry ? JSON.stringify(task.retry) : '-'],
      ['timeout', `${task.timeoutMs} ms`],
      ['overlap', task.overlap],
      ['misfire', task.misfire],
      ['jitter', task.jitterMs ? `up to ${task.jitterMs} ms` : 'none'],
      ['on failure', task.onFailure ? describeAction({ ...task.onFailure, method: 'POST' }) : '-'],
      ['revision', String(task.revision)],
      ['registered', task.registeredAt],
      ['next run', when(task.nextDueAt, now)],
    );
    if (task.concurrency)
      entries.push(['concurrency', `key ${task.concurrency.key}, at most ${task.concurrency.limit} at once`]);
    if (task.calendars?.length) entries.push(['calendars', task.calendars.join(', ')]);
    const last = task.lastExecution;
    entries.push([
      'last execution',
      last
        ? `#${last.occurrence} attempt ${last.attempt}: ${last.outcome} at ${last.startedAt} (${last.durationMs} ms)${last.error ? ` error: ${last.error}` : ''}`
        : '-',
    ]);
    io.out(fields(entries));
    io.out(task.nextOccurrences.length ? 'next occurrences:' : 'next occurrences: none');
    for (const occurrence of task.nextOccurrences) io.out(`  ${when(occurrence, now)}`);
  },
};

/** A revision or an ISO instant; the server checks the rest (an instant's offset, the stream's end). */
function asOfOption(values: OptionValues): string | undefined {
  const value = stringOption(values, 'as-of');
  if (value === undefined || /^\d+$/.test(value) || /^\d{4}-\d{2}-\d{2}T/.test(value)) return value;
  throw new UsageError(
    `--as-of must be a revision (0, 1, ...) or an ISO instant like 2026-12-01T09:00:00Z, got "${value}"`,
  );
}

function describeAction(action: TaskView['action']): string {
  if (action.kind === 'log') return `log "${action.message}"`;
  const headers = Object.entries(action.headers ?? {}).map(([k, v]) => ` ${k}: ${v}`);
  return `http ${action.method} ${action.url}${headers.length ? ` (headers:${headers.join(',')})` : ''}`;
}
