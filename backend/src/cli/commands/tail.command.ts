import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_PAGE_SIZE } from '../../../../contracts/limits';
import type { ExecutionPage, ExecutionView } from '../api-types';
import { type Command, intOption } from '../command';
import { table } from '../format';
import { executionRow } from './executions.command';

export const tailCommand: Command = {
  name: 'tail',
  usage: 'tail [<id>] [--interval ms]',
  summary: 'follow executions live (of one task, or of all), until Ctrl-C',
  help: ['--interval ms    how often to poll (default 1000)'],
  options: { interval: { type: 'string' } },
  positionals: { min: 0, max: 1, names: '[<id>]' },
  async run({ args, values, client, io, json }) {
    const taskId = args[0];
    const interval = intOption(values, 'interval') ?? 1000;
    // Executions that started up to a minute ago and finish from now on are shown too.
    const since = new Date(Date.now() - 60_000).toISOString();
    const shown = new Set<string>();
    // What already finished before the tail started is not shown.
    const first = await poll();
    for (const e of first) if (e.outcome) shown.add(key(e));
    if (!json) io.out(`following executions${taskId ? ` of ${taskId}` : ''} (Ctrl-C stops)`);
    let header = false;
    while (!io.signal?.aborted) {
      const fresh = (await poll()).filter((e) => e.outcome && !shown.has(key(e))).reverse();
      for (const e of fresh) {
        shown.add(key(e));
        if (json) {
          io.out(JSON.stringify(e));
        } else {
          const rows = [executionRow(e, !taskId)];
          const heads = [
            ...(taskId ? [] : ['task']),
            'occ',
            'att',
            'started',
            'outcome',
            'lag',
            'dur',
            'detail',
          ];
          const lines = table(heads, rows).split('\n');
          if (!header) io.out(lines[0] ?? '');
          header = true;
          io.out(lines[1] ?? '');
        }
      }
      try {
        await sleep(interval, undefined, { signal: io.signal });
      } catch {
        break; // aborted
      }
    }

    async function poll(): Promise<ExecutionView[]> {
      const page = await client.get<ExecutionPage>('api/executions', { since, taskId, limit: MAX_PAGE_SIZE });
      return page.items;
    }
  },
};

function key(e: ExecutionView): string {
  return `${e.taskId}/${e.occurrence}/${e.attempt}`;
}
