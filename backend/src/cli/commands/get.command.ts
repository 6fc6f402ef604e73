import type { TaskView } from '../api-types';
import { type Command, printJson, taskPath } from '../command';
import { describeSchedule, fields, when } from '../format';

export const getCommand: Command = {
  name: 'get',
  usage: 'get <id>',
  summary: 'show a task: definition, status, next occurrences, last execution',
  positionals: { min: 1, max: 1, names: '<id>' },
  async run({ args, client, io, json }) {
    const task = await client.get<TaskView>(taskPath(args[0] ?? ''));
    if (json) return printJson(io, task);
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
      ['revision', String(task.revision)],
      ['registered', task.registeredAt],
      ['next run', when(task.nextDueAt, now)],
    );
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

function describeAction(action: TaskView['action']): string {
  if (action.kind === 'log') return `log "${action.message ?? ''}"`;
  if (action.kind === 'http') {
    const headers = Object.entries(action.headers ?? {}).map(([k, v]) => ` ${k}: ${v}`);
    return `http ${action.method ?? 'POST'} ${action.url ?? ''}${headers.length ? ` (headers:${headers.join(',')})` : ''}`;
  }
  return action.kind;
}
