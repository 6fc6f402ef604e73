import type { CalendarList, CalendarView, CommandResponse } from '../api-types';
import {
  type Command,
  type OptionValues,
  intOption,
  printJson,
  stringOption,
  stringsOption,
} from '../command';
import { UsageError } from '../errors';
import { fields, table } from '../format';
import type { KairosClient } from '../http-client';
import { type CliIo, readJsonFile } from '../io';

const SUBCOMMANDS = ['list', 'get', 'create', 'update', 'delete'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

const calendarPath = (id: string) => `api/calendars/${encodeURIComponent(id)}`;

/**
 * `kairos calendars list|get|create|update|delete`: the calendars of ADR 018, from flags (consistent
 * with `kairos create`) or a JSON body with --file. Exclusion flags are repeatable; on update, any
 * exclusion flag replaces the whole list.
 */
export const calendarsCommand: Command = {
  name: 'calendars',
  usage: 'calendars (list | get <id> | create ... | update <id> ... | delete <id>)',
  summary: 'calendars: periods in which the tasks that name them do not fire',
  help: [
    '--name n              the calendar name',
    '--tz zone             IANA zone in which dates and cron expressions are read (default UTC on create)',
    '--date YYYY-MM-DD     exclude a whole day (repeatable)',
    '--range from..to      exclude [from, to), two ISO instants (repeatable)',
    "--cron 'expr'         exclude the minutes (5 fields) or seconds (6) it matches (repeatable)",
    '--no-exclusions       update: remove every exclusion',
    '--if-match rev        update, delete: only if the calendar is still at this revision',
    '--file path           the whole body as JSON (POST, or PATCH on update); - reads stdin',
  ],
  options: {
    name: { type: 'string' },
    tz: { type: 'string' },
    date: { type: 'string', multiple: true },
    range: { type: 'string', multiple: true },
    cron: { type: 'string', multiple: true },
    'no-exclusions': { type: 'boolean' },
    'if-match': { type: 'string' },
    file: { type: 'string' },
  },
  positionals: { min: 1, max: 2, names: 'list | get <id> | create | update <id> | delete <id>' },
  async run({ args, values, client, io, json }) {
    const sub = args[0] as Subcommand;
    if (!SUBCOMMANDS.includes(sub)) {
      throw new UsageError(`unknown calendars command "${args[0]}": try ${SUBCOMMANDS.join(', ')}`);
    }
    const id = args[1];
    const needsId = sub === 'get' || sub === 'update' || sub === 'delete';
    if (needsId && id === undefined) throw new UsageError(`missing <id>: kairos calendars ${sub} <id>`);
    if (!needsId && id !== undefined) throw new UsageError(`unexpected argument "${id}"`);
    switch (sub) {
      case 'list':
        return list(client, io, json);
      case 'get':
        return show(await client.get<CalendarView>(calendarPath(id)), io, json);
      case 'create': {
        const body = await bodyOf(values, io, 'create');
        return done('created', await client.post<CommandResponse>('api/calendars', body), io, json);
      }
      case 'update': {
        const body = await bodyOf(values, io, 'update');
        const result = await client.request<CommandResponse>('PATCH', calendarPath(id), {
          body,
          headers: ifMatch(values),
        });
        return done('updated', result, io, json);
      }
      case 'delete': {
        const result = await client.request<CommandResponse>('DELETE', calendarPath(id), {
          headers: ifMatch(values),
        });
        return done('deleted', result, io, json);
      }
    }
  },
};

async function list(client: KairosClient, io: CliIo, json: boolean): Promise<void> {
  const { items } = await client.get<CalendarList>('api/calendars');
  if (json) return printJson(io, items);
  if (items.length === 0) return io.out('no calendars');
  io.out(
    table(
      ['ID', 'NAME', 'ZONE', 'EXCLUSIONS', 'REV'],
      items.map((c) => [c.id, c.name, c.timezone, String(c.exclude.length), String(c.revision)]),
    ),
  );
}

function show(calendar: CalendarView, io: CliIo, json: boolean): void {
  if (json) return printJson(io, calendar);
  io.out(
    fields([
      ['id', calendar.id],
      ['name', calendar.name],
      ['zone', calendar.timezone],
      ['status', calendar.status],
      ['revision', String(calendar.revision)],
    ]),
  );
  io.out(calendar.exclude.length ? 'excludes:' : 'excludes: nothing');
  for (const e of calendar.exclude) {
    io.out(
      `  ${'date' in e && e.date ? e.date : 'cron' in e && e.cron ? `cron ${e.cron}` : `${e.from} .. ${e.to}`}`,
    );
  }
}

function done(what: string, result: CommandResponse, io: CliIo, json: boolean): void {
  if (json) return printJson(io, result);
  io.out(`${what} ${result.id} (revision ${result.revision})`);
}

function ifMatch(values: OptionValues): Record<string, string> {
  const revision = intOption(values, 'if-match');
  return revision === undefined ? {} : { 'if-match': `"${revision}"` };
}

async function bodyOf(values: OptionValues, io: CliIo, sub: 'create' | 'update'): Promise<unknown> {
  const file = stringOption(values, 'file');
  if (file !== undefined) {
    const others = ['name', 'tz', 'date', 'range', 'cron', 'no-exclusions'].filter(
      (k) => values[k] !== undefined,
    );
    if (others.length) throw new UsageError(`--file cannot be combined with --${others.join(', --')}`);
    return readJsonFile(file, io);
  }
  const name = stringOption(values, 'name');
  const timezone = stringOption(values, 'tz');
  const exclude = exclusions(values);
  if (sub === 'create') {
    if (name === undefined) throw new UsageError('missing --name (or give the whole calendar with --file)');
    return { name, timezone: timezone ?? 'UTC', exclude: exclude ?? [] };
  }
  const changes = {
    ...(name !== undefined && { name }),
    ...(timezone !== undefined && { timezone }),
    ...(exclude !== undefined && { exclude }),
  };
  if (Object.keys(changes).length === 0) {
    throw new UsageError('nothing to change: give --name, --tz, exclusions, --no-exclusions or --file');
  }
  return changes;
}

/** The exclusion flags as the API's list; undefined when none is given (an update keeps the list). */
function exclusions(values: OptionValues): unknown[] | undefined {
  const dates = stringsOption(values, 'date').map((date) => ({ date }));
  const ranges = stringsOption(values, 'range').map((range) => {
    const [from, to, ...rest] = range.split('..');
    if (!from || !to || rest.length) throw new UsageError(`--range must look like from..to, got "${range}"`);
    return { from, to };
  });
  const crons = stringsOption(values, 'cron').map((cron) => ({ cron }));
  const all = [...dates, ...ranges, ...crons];
  if (values['no-exclusions'] === true) {
    if (all.length) throw new UsageError('--no-exclusions cannot be combined with exclusion flags');
    return [];
  }
  return all.length ? all : undefined;
}
