import type { CommandResponse } from '../api-types';
import {
  type Command,
  type OptionValues,
  intOption,
  printJson,
  stringOption,
  stringsOption,
} from '../command';
import { UsageError } from '../errors';
import { type CliIo, readJsonFile } from '../io';

export const createCommand: Command = {
  name: 'create',
  usage: 'create --name n (--cron expr [--tz zone] | --every s | --at iso) (--log msg | --http-url url ...)',
  summary: 'register a task from flags, or from a JSON body with --file (- reads stdin)',
  help: [
    '--name n          the task name',
    '--cron "expr"     cron expression (5 fields, or 6 with seconds first)',
    '--tz zone         IANA time zone of --cron (default UTC)',
    '--every s         interval in whole seconds',
    '--at iso          once, at this instant (e.g. 2026-11-24T09:00:00Z)',
    '--log message     action: log the message',
    '--http-url url    action: an HTTP request to url',
    '--method M        its method (default POST)',
    "--header 'K: V'   a request header (repeatable)",
    '--body text       the request body',
    '--label k:v       a label (repeatable), e.g. --label team:billing',
    '--jitter-ms N     start each run up to N ms after its due time (a fixed offset per run)',
    '--on-failure-url url  POST an alert there when a run finally fails or is misfired',
    '--concurrency-key K    share a cluster-wide limit of running executions with the tasks of key K',
    '--concurrency-limit N  at most N of them run at once (1-1000; with --concurrency-key)',
    '--calendar id     a calendar whose excluded periods it does not fire in (repeatable)',
    '--file path       the whole task as JSON, as POST /api/tasks takes it; - reads stdin',
  ],
  options: {
    name: { type: 'string' },
    cron: { type: 'string' },
    tz: { type: 'string' },
    every: { type: 'string' },
    at: { type: 'string' },
    log: { type: 'string' },
    'http-url': { type: 'string' },
    method: { type: 'string' },
    header: { type: 'string', multiple: true },
    body: { type: 'string' },
    label: { type: 'string', multiple: true },
    'jitter-ms': { type: 'string' },
    'on-failure-url': { type: 'string' },
    'concurrency-key': { type: 'string' },
    'concurrency-limit': { type: 'string' },
    calendar: { type: 'string', multiple: true },
    file: { type: 'string' },
  },
  async run({ values, client, io, json }) {
    const file = stringOption(values, 'file');
    const body = file !== undefined ? await readBody(file, values, io) : bodyFromFlags(values);
    const result = await client.post<CommandResponse>('api/tasks', body);
    if (json) return printJson(io, result);
    io.out(`created ${result.id} (revision ${result.revision})`);
  },
};

async function readBody(file: string, values: OptionValues, io: CliIo): Promise<unknown> {
  const others = Object.keys(values).filter((key) => key !== 'file' && values[key] !== undefined);
  const conflicting = others.filter((key) => key in (createCommand.options ?? {}));
  if (conflicting.length)
    throw new UsageError(`--file cannot be combined with --${conflicting.join(', --')}`);
  return readJsonFile(file, io);
}

function bodyFromFlags(values: OptionValues): Record<string, unknown> {
  const name = stringOption(values, 'name');
  if (name === undefined) throw new UsageError('missing --name (or give the whole task with --file)');
  const labels = labelsOption(values);
  const jitterMs = intOption(values, 'jitter-ms');
  const onFailureUrl = stringOption(values, 'on-failure-url');
  const concurrency = concurrencyOption(values);
  const calendars = stringsOption(values, 'calendar');
  return {
    name,
    schedule: schedule(values),
    action: action(values),
    ...(labels && { labels }),
    ...(jitterMs !== undefined && { jitterMs }),
    ...(onFailureUrl !== undefined && { onFailure: { kind: 'http', url: onFailureUrl } }),
    ...(concurrency && { concurrency }),
    ...(calendars.length > 0 && { calendars }),
  };
}

/** `--concurrency-key billing-db --concurrency-limit 2`, both or neither; the server checks the values. */
function concurrencyOption(values: OptionValues): { key: string; limit: number } | undefined {
  const key = stringOption(values, 'concurrency-key');
  const limit = intOption(values, 'concurrency-limit');
  if (key === undefined && limit === undefined) return undefined;
  if (key === undefined || limit === undefined)
    throw new UsageError('--concurrency-key and --concurrency-limit go together');
  return { key, limit };
}

/** `--label team:billing` (repeatable) as the labels object; the server checks keys and values. */
function labelsOption(values: OptionValues): Record<string, string> | undefined {
  const given = stringsOption(values, 'label');
  if (given.length === 0) return undefined;
  const labels: Record<string, string> = {};
  for (const label of given) {
    const colon = label.indexOf(':');
    if (colon < 1) throw new UsageError(`--label must look like key:value, got "${label}"`);
    labels[label.slice(0, colon)] = label.slice(colon + 1);
  }
  return labels;
}

function schedule(values: OptionValues): Record<string, unknown> {
  const cron = stringOption(values, 'cron');
  const every = stringOption(values, 'every');
  const at = stringOption(values, 'at');
  const given = [cron, every, at].filter((v) => v !== undefined).length;
  if (given !== 1) throw new UsageError('give exactly one schedule: --cron, --every or --at');
  if (stringOption(values, 'tz') !== undefined && cron === undefined) {
    throw new UsageError('--tz only goes with --cron');
  }
  if (cron !== undefined) {
    return { kind: 'cron', expression: cron, timezone: stringOption(values, 'tz') ?? 'UTC' };
  }
  if (every !== undefined) return { kind: 'interval', everySeconds: intOption(values, 'every') };
  return { kind: 'once', at };
}

function action(values: OptionValues): Record<string, unknown> {
  const log = stringOption(values, 'log');
  const url = stringOption(values, 'http-url');
  const httpOnly = ['method', 'header', 'body'].filter((key) => values[key] !== undefined);
  if ((log === undefined) === (url === undefined)) {
    throw new UsageError('give exactly one action: --log or --http-url');
  }
  if (log !== undefined) {
    if (httpOnly.length) throw new UsageError(`--${httpOnly.join(', --')} only go with --http-url`);
    return { kind: 'log', message: log };
  }
  const result: Record<string, unknown> = { kind: 'http', url };
  const method = stringOption(values, 'method');
  if (method !== undefined) result.method = method.toUpperCase();
  const headers = stringsOption(values, 'header');
  if (headers.length) {
    const record: Record<string, string> = {};
    for (const header of headers) {
      const colon = header.indexOf(':');
      if (colon < 1) throw new UsageError(`--header must look like 'Name: value', got "${header}"`);
      record[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
    }
    result.headers = record;
  }
  const body = stringOption(values, 'body');
  if (body !== undefined) result.body = body;
  return result;
}
