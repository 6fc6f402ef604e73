import { MAX_PAGE_SIZE } from '../../../../contracts/limits';
import type { TaskEventType } from '../../tasks/domain/task.events';
import type { TaskEventPage } from '../api-types';
import {
  type Command,
  type OptionValues,
  intOption,
  oneOf,
  printJson,
  stringOption,
  stringsOption,
  taskPath,
} from '../command';
import { UsageError } from '../errors';
import { table } from '../format';
import { summarizeEvent } from './event-summary';

/** A Record so that a new event type in the domain fails to compile here until it is listed. */
const EVENT_TYPES: Record<TaskEventType, true> = {
  TaskRegistered: true,
  TaskUpdated: true,
  TaskScheduled: true,
  TaskExecutionStarted: true,
  TaskExecuted: true,
  TaskOccurrenceSkipped: true,
  TaskOccurrenceWaiting: true,
  TaskPaused: true,
  TaskResumed: true,
  TaskCompleted: true,
  TaskDeleted: true,
  TaskHistoryTruncated: true,
};
const KNOWN_TYPES = Object.keys(EVENT_TYPES);

/** A page of events, with where the kept history starts when retention cut it (null or absent: all kept). */
type EventPage = TaskEventPage;
const ORDERS = ['desc', 'asc'] as const;
const MAX_LIMIT = MAX_PAGE_SIZE;

export const eventsCommand: Command = {
  name: 'events',
  usage: 'events <id> [--limit n] [--older] [--type T[,T...]] [--order asc|desc] [--cursor c]',
  summary: "a task's audit trail from its event log, one page at a time (newest first)",
  help: [
    `--limit n        events per page (1-${MAX_LIMIT}, default 20)`,
    '--older          oldest first (the same as --order asc)',
    '--type T[,T]     only these event types (repeatable): ' + KNOWN_TYPES.join(', '),
    '--order o        desc (newest first, the default) or asc',
    '--cursor c       the page after the one that printed this cursor (its hint line shows how)',
  ],
  options: {
    limit: { type: 'string' },
    older: { type: 'boolean' },
    type: { type: 'string', multiple: true },
    order: { type: 'string' },
    cursor: { type: 'string' },
  },
  positionals: { min: 1, max: 1, names: '<id>' },
  async run({ args, values, client, io, json }) {
    const id = args[0] ?? '';
    const limit = limitOption(values);
    const types = typesOption(values);
    const order = orderOption(values);
    const cursor = stringOption(values, 'cursor');
    const page = await client.get<EventPage>(taskPath(id, '/events'), {
      limit,
      order,
      type: types.length > 0 ? types.join(',') : undefined,
      cursor,
    });
    if (json) return printJson(io, page);
    if (page.items.length > 0) {
      io.out(
        table(
          ['revision', 'recorded at', 'type', 'summary'],
          page.items.map((e) => [String(e.revision), e.recordedAt, e.type, summarizeEvent(e)]),
        ),
      );
    } else {
      // With --type a page looks at a bounded window of the stream, so it may be empty yet go on.
      io.out(page.nextCursor ? 'no matching events on this page' : 'no events');
    }
    const start = page.historyStartsAt;
    // The oldest kept event is on this page (or the next newest-first page would have gone on).
    if (start && (order === 'asc' ? !cursor : !page.nextCursor)) {
      io.out(`history before revision ${start.revision} was removed by retention on ${start.truncatedAt}`);
    }
    if (!page.nextCursor) return;
    const next = ['kairos', 'events', id, '--limit', String(limit)];
    const url = stringOption(values, 'url');
    if (url !== undefined) next.push('--url', url); // never the token: this line may be shared
    if (types.length > 0) next.push('--type', types.join(','));
    if (order === 'asc') next.push('--order', 'asc');
    next.push('--cursor', page.nextCursor);
    io.out(`next page: ${next.join(' ')}`);
  },
};

function limitOption(values: OptionValues): number {
  const limit = intOption(values, 'limit') ?? 20;
  if (limit < 1 || limit > MAX_LIMIT) {
    throw new UsageError(`--limit must be between 1 and ${MAX_LIMIT}, got ${limit}`);
  }
  return limit;
}

function typesOption(values: OptionValues): string[] {
  const types = stringsOption(values, 'type').flatMap((value) => value.split(',').map((t) => t.trim()));
  const unknown = types.filter((t) => !KNOWN_TYPES.includes(t));
  if (unknown.length > 0) {
    throw new UsageError(
      `--type has unknown event types (${unknown.map((t) => JSON.stringify(t)).join(', ')}); known: ${KNOWN_TYPES.join(', ')}`,
    );
  }
  return [...new Set(types)];
}

function orderOption(values: OptionValues): 'asc' | 'desc' {
  const order = oneOf(values, 'order', ORDERS);
  if (values.older === true) {
    if (order === 'desc') throw new UsageError('--older (oldest first) cannot be combined with --order desc');
    return 'asc';
  }
  return order ?? 'desc';
}
