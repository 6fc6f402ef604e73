import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import type { KairosConfig } from '../config/config';

/**
 * Structured JSON logs (one object per line, pino) for every Nest log call. A message that is an
 * object is merged into the line, so `logger.log({ msg, taskId, occurrence })` yields searchable fields.
 */
export class PinoLogger implements LoggerService {
  readonly pino: Logger;

  constructor(level: KairosConfig['logLevel'], bindings: Record<string, unknown> = {}) {
    this.pino = pino({
      level,
      base: { pid: process.pid, ...bindings },
      timestamp: pino.stdTimeFunctions.isoTime,
    });
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
