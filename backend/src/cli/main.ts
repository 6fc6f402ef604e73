/**
 * `kairos`: the command-line client of a running Kairos server (REST over --url), plus local tools
 * (`projections rebuild`). Run it with `npm run kairos -- <command>` or `bin/kairos.js <command>`.
 */
import { parseArgs } from 'node:util';
import type { Command } from './command';
import { backfillCommand } from './commands/backfill.command';
import { calendarsCommand } from './commands/calendars.command';
import { createCommand } from './commands/create.command';
import { diffCommand } from './commands/diff.command';
import { eventsCommand } from './commands/events.command';
import { executionsCommand } from './commands/executions.command';
import { getCommand } from './commands/get.command';
import { listCommand } from './commands/list.command';
import { occurrencesCommand } from './commands/occurrences.command';
import { pauseCommand, resumeCommand } from './commands/pause-resume.command';
import { projectionsCommand } from './commands/projections.command';
import { tailCommand } from './commands/tail.command';
import { deleteCommand, triggerCommand } from './commands/task-commands';
import { ApiError, EXIT, UnreachableError, UsageError } from './errors';
import { KairosClient } from './http-client';
import type { CliIo } from './io';

export { bufferIo, type CliIo } from './io';
export { EXIT } from './errors';

export const COMMANDS: Command[] = [
  listCommand,
  getCommand,
  createCommand,
  pauseCommand,
  resumeCommand,
  triggerCommand,
  backfillCommand,
  deleteCommand,
  executionsCommand,
  occurrencesCommand,
  eventsCommand,
  diffCommand,
  tailCommand,
  calendarsCommand,
  projectionsCommand,
];

const GLOBAL_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function usage(): string {
  return [
    'Usage: kairos <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    '',
    'Options (every command):',
    '  --url url      the Kairos server (default: $KAIROS_URL or http://localhost:3000)',
    '  --token t      bearer token (default: $KAIROS_API_TOKEN)',
    '  --json         print the API JSON instead of tables',
    '  -h, --help     help (kairos <command> --help for a command)',
    '',
    'Exit codes:',
    '  0  ok',
    '  1  API error (the problem detail and each field: reason are printed)',
    '  2  usage error (unknown command or flag, missing argument)',
    '  3  cannot reach the server',
    '  4  not found (404)',
  ].join('\n');
}

function commandUsage(command: Command): string {
  return [
    `Usage: kairos ${command.usage}`,
    '',
    command.summary,
    ...(command.help ?? []).map((l) => `  ${l}`),
  ].join('\n');
}

/** Runs one command line (without `node kairos`); answers the exit code. Never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    return report(error, io);
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const name = argv[0];
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command "${name}"`);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv.slice(1),
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = (error as Error).message.split('. To specify')[0] ?? '';
    throw new UsageError(`${message} (see kairos ${command.name} --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(commandUsage(command));
    return EXIT.ok;
  }
  const expected = command.positionals ?? { min: 0, max: 0, names: '' };
  if (positionals.length < expected.min) {
    throw new UsageError(`missing ${expected.names}: kairos ${command.usage}`);
  }
  if (positionals.length > expected.max) {
    throw new UsageError(`unexpected argument "${positionals[expected.max]}": kairos ${command.usage}`);
  }
  const url =
    (typeof values.url === 'string' ? values.url : undefined) ?? io.env.KAIROS_URL ?? 'http://localhost:3000';
  try {
    new URL(url);
  } catch {
    throw new UsageError(`--url is not a URL: "${url}"`);
  }
  const token = (typeof values.token === 'string' ? values.token : undefined) ?? io.env.KAIROS_API_TOKEN;
  const code = await command.run({
    args: positionals,
    values,
    client: new KairosClient(url, token || undefined),
    io,
    json: values.json === true,
  });
  return code ?? EXIT.ok;
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    io.err(`kairos: ${error.message}`);
    return EXIT.usage;
  }
  if (error instanceof UnreachableError) {
    io.err(`kairos: ${error.message}`);
    return EXIT.unreachable;
  }
  if (error instanceof ApiError) {
    const { problem } = error;
    io.err(`kairos: ${problem.detail ?? problem.title ?? `HTTP ${error.status}`}`);
    for (const field of problem.errors ?? []) io.err(`  ${field.field}: ${field.reason}`);
    return error.status === 404 ? EXIT.notFound : EXIT.api;
  }
  io.err(`kairos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return EXIT.api;
}

/** The process entry (bin/kairos.js): real stdout/stderr, Ctrl-C stops `tail`. */
export async function main(argv = process.argv.slice(2)): Promise<void> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const io: CliIo = {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    env: process.env,
    signal: controller.signal,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
  const code = await runCli(argv, io);
  process.off('SIGINT', onSigint);
  process.exitCode = code;
}

if (require.main === module) void main();
