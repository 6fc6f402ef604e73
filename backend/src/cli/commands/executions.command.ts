import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../../contracts/limits';
import type { ExecutionPage, ExecutionView } from '../api-types';
import { type Command, intOption, oneOf, printJson, taskPath } from '../command';
import { oneLine, table } from '../format';

export const OUTCOMES = ['succeeded', 'failed', 'timed_out', 'lost', 'running'] as const;

export const executionsCommand: Command = {
  name: 'executions',
  usage: 'executions <id> [--outcome o] [--limit n]',
  summary: "a task's executions, newest first",
  help: [
    '--outcome o      succeeded, failed, timed_out, lost or running',
    `--limit n        at most n executions (1-${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE})`,
  ],
  options: { outcome: { type: 'string' }, limit: { type: 'string' } },
  positionals: { min: 1, max: 1, names: '<id>' },
  async run({ args, values, client, io, json }) {
    const page = await client.get<ExecutionPage>(taskPath(args[0] ?? '', '/executions'), {
      outcome: oneOf(values, 'outcome', OUTCOMES),
      limit: intOption(values, 'limit'),
    });
    if (json) return printJson(io, page);
    if (page.items.length === 0) return io.out('no executions');
    io.out(executionTable(page.items, false));
  },
};

export function executionTable(items: ExecutionView[], withTask: boolean): string {
  return table(
    [
      ...(withTask ? ['task'] : []),
      'occurrence',
      'attempt',
      'started',
      'outcome',
      'lag',
      'duration',
      'detail',
    ],
    items.map((e) => executionRow(e, withTask)),
  );
}

export function executionRow(e: ExecutionView, withTask: boolean): string[] {
  return [
    ...(withTask ? [e.taskId] : []),
    // A backfill run is marked: it is due long ago by design (and so has no lag).
    e.reason === 'backfill' ? `${e.occurrence} (backfill)` : String(e.occurrence),
    String(e.attempt),
    e.startedAt,
    e.outcome ?? 'running',
    (e.lagMs === null ? '-' : `${e.lagMs} ms${jitterNote(e)}`) +
      (e.waitedMs ? ` (waited ${e.waitedMs} ms for a slot)` : ''),
    e.durationMs === null ? '-' : `${e.durationMs} ms`,
    oneLine(e.error ?? e.output ?? ''),
  ];
}

/** A jittered run's lag counts from its planned start; say how far jitter moved it from its due time. */
function jitterNote(e: ExecutionView): string {
  if (e.plannedAt === null || e.dueAt === null) return '';
  return ` (jitter +${Date.parse(e.plannedAt) - Date.parse(e.dueAt)} ms)`;
}
