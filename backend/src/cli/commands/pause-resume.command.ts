import type { BulkResult, CommandResponse } from '../api-types';
import { type Command, printJson, stringsOption, taskPath } from '../command';
import { UsageError } from '../errors';

/** `pause <id>` or `pause --label team:billing` (every matching task); `resume` the same. */
function pauseOrResume(action: 'pause' | 'resume', summary: string, done: string): Command {
  return {
    name: action,
    usage: `${action} <id> | ${action} --label key:value ...`,
    summary,
    help: ['--label k:v      every task with this label (repeatable: all must hold), instead of <id>'],
    positionals: { min: 0, max: 1, names: '<id>' },
    options: { label: { type: 'string', multiple: true } },
    async run({ args, values, client, io, json }) {
      const labels = stringsOption(values, 'label');
      if (labels.length > 0 && args[0] !== undefined)
        throw new UsageError('give an <id> or --label, not both');
      if (labels.length > 0) {
        const query = new URLSearchParams(labels.map((label): [string, string] => ['label', label]));
        const result = await client.post<BulkResult>(`api/tasks/${action}?${query.toString()}`);
        if (json) return printJson(io, result);
        return io.out(`${done} ${result.changed} of ${result.matched} matching tasks`);
      }
      if (args[0] === undefined) throw new UsageError(`missing <id> (or --label key:value)`);
      const result = await client.post<CommandResponse>(taskPath(args[0], `/${action}`));
      if (json) return printJson(io, result);
      io.out(`${done} ${result.id} (revision ${result.revision})`);
    },
  };
}

export const pauseCommand = pauseOrResume(
  'pause',
  'pause a task (or every task with these labels): no occurrences fire until it is resumed',
  'paused',
);
export const resumeCommand = pauseOrResume(
  'resume',
  'resume a paused task (or every task with these labels)',
  'resumed',
);
