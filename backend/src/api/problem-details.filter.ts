import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { isTransientStoreError } from '../event-store/transient-error';
import { TaskDomainError } from '../tasks/domain/task.errors';
import { CalendarDomainError } from '../calendars/domain/calendar.errors';
import { ProblemException, problemOfCalendarError, problemOfDomainError } from './problem';

/** Renders every error as problem+json; unexpected ones as a 500 that hides internals and is logged. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const problem = this.toProblemException(exception);
    for (const [name, value] of Object.entries(problem.headers)) response.setHeader(name, value);
    response.status(problem.status).type('application/problem+json').json(problem.toProblem());
  }

  private toProblemException(exception: unknown): ProblemException {
    if (exception instanceof ProblemException) return exception;
    if (exception instanceof TaskDomainError) return problemOfDomainError(exception);
    if (exception instanceof CalendarDomainError) return problemOfCalendarError(exception);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const detail = typeof body === 'string' ? body : (messageOf(body) ?? exception.message);
      return new ProblemException(
        status,
        codeOfStatus(status),
        exception.name.replace(/Exception$/, ''),
        detail,
      );
    }
    if (isTransientStoreError(exception)) {
      // Nothing was decided or lost: the database is restarting, unreachable or out of space.
      this.logger.warn(`storage unavailable: ${(exception as Error).message}`);
      return new ProblemException(
        503,
        'storage_unavailable',
        'Storage unavailable',
        `The database cannot take this request now (${(exception as Error).message}); try again shortly`,
        {},
        { 'Retry-After': '1' },
      );
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return new ProblemException(
      500,
      'internal_error',
      'Internal server error',
      'An unexpected error occurred',
    );
  }
}

function messageOf(body: object): string | undefined {
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : undefined;
}

function codeOfStatus(status: number): string {
  const codes: Record<number, string> = {
    400: 'bad_request',
    401: 'unauthorized',
    404: 'not_found',
    405: 'method_not_allowed',
    409: 'conflict',
    412: 'precondition_failed',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    503: 'unavailable',
  };
  return codes[status] ?? `http_${status}`;
}
