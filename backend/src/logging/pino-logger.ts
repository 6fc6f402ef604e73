import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import { ConfigError, type KairosConfig } from '../config/config';

export type LogFormat = 'pretty' | 'json';

/**
 * Readable lines for a person at a terminal, JSON lines for whatever reads a pipe or a file (log
 * shippers, the tests). KAIROS_LOG_FORMAT overrides the guess, e.g. for a launcher that pipes this
 * process's output on to a terminal (`npm run cluster`). Throws a ConfigError naming a bad value.
 */
export function chooseLogFormat(io: { isTTY: boolean | undefined; env: NodeJS.ProcessEnv }): LogFormat {
  const explicit = io.env.KAIROS_LOG_FORMAT;
  if (explicit === 'pretty' || explicit === 'json') return explicit;
  if (explicit !== undefined && explicit !== '') {
    throw new ConfigError(`KAIROS_LOG_FORMAT: "${explicit}" must be one of pretty, json`);
  }
  return io.isTTY ? 'pretty' : 'json';
}

export interface PinoLoggerOptions {
  format?: LogFormat;
  /** Where the lines go; stdout when unset. */
  destination?: NodeJS.WritableStream;
}

/**
 * Logs for every Nest log call, as JSON lines (one object per line, pino) or pretty ones. A message
 * that is an object is merged into the line, so `logger.log({ msg, taskId, occurrence })` yields
 * searchable fields.
 */
export class PinoLogger implements LoggerService {
  readonly pino: Logger;

  constructor(
    level: KairosConfig['logLevel'],
    bindings: Record<string, unknown> = {},
    { format = 'json', destination }: PinoLoggerOptions = {},
  ) {
    const options = {
      level,
      base: { pid: process.pid, ...bindings },
      timestamp: pino.stdTimeFunctions.isoTime,
    };
    const stream: DestinationStream | undefined =
      format === 'pretty' ? prettyStream(destination) : destination;
    this.pino = stream ? pino(options, stream) : pino(options);
  }

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  error(message: unknown, traceOrContext?: string, context?: string): void {
    this.write('error', message, context ?? traceOrContext);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(level: pino.Level, message: unknown, context: string | undefined): void {
    if (typeof message === 'object' && message !== null) this.pino[level]({ context, ...message });
    else this.pino[level]({ context }, String(message));
  }
}

/**
 * pino-pretty in this thread, writing synchronously, rather than as a worker-thread transport: a line
 * logged just before the process exits is not lost, and a test reads what was written at once.
 * Colours follow the terminal (NO_COLOR and FORCE_COLOR are honoured).
 */
function prettyStream(destination: NodeJS.WritableStream | undefined): DestinationStream {
  return PinoPretty({
    destination: destination ?? 1,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    // The message first, after the Nest context it came from; other fields follow on the same line.
    messageFormat: '{if context}[{context}] {end}{msg}',
    singleLine: true,
    // The same in every line of a process; `npm run cluster` prefixes each line with its process.
    ignore: 'pid,hostname,roles,context',
  });
}
