import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../../contracts/limits';
import type { TaskListPage } from '../api-types';
import { type Command, intOption, oneOf, printJson, stringOption, stringsOption } from '../command';
import { describeSchedule, table, when } from '../format';

const STATUSES = ['active', 'paused', 'completed', 'deleted'] as const;

export const listCommand: Command = {
  name: 'list',
  usage: 'list [--status s] [--search text] [--label k:v ...] [--limit n]',
  summary: 'list tasks (every task but deleted ones unless --status)',
  help: [
    '--status s       active, paused, completed or deleted',
    '--search text    tasks whose name contains text',
    '--label k:v      tasks with this label (repeatable: all must hold)',
    `--limit n        at most n tasks (1-${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE})`,
  ],
  options: {
    status: { type: 'string' },
    search: { type: 'string' },
    label: { type: 'string', multiple: true },
    limit: { type: 'string' },
  },
  async run({ values, client, io, json }) {
    const page = await client.get<TaskListPage>('api/tasks', {
      status: oneOf(values, 'status', STATUSES),
      q: stringOption(values, 'search'),
      // The server takes a list comma-separated (label values cannot hold a comma).
      label: stringsOption(values, 'label').join(',') || undefined,
      limit: intOption(values, 'limit'),
    });
    if (json) return printJson(io, page);
    if (page.items.length === 0) return io.out('no tasks');
    const now = Date.now();
    io.out(
      table(
        ['id', 'name', 'status', 'schedule', 'next run'],
        page.items.map((task) => [
          task.id,
          task.name,
          task.status,
          describeSchedule(task.schedule),
          when(task.nextDueAt, now),
        ]),
      ),
    );
    if (page.nextCursor) io.out(`(more tasks: raise --limit or narrow with --status/--search)`);
  },
};
