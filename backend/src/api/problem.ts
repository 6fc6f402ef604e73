import { type CalendarDomainError, type CalendarErrorCode } from '../calendars/domain/calendar.errors';
import { RevisionMismatchError, type TaskDomainError, type TaskErrorCode } from '../tasks/domain/task.errors';

/**
 * RFC 9457 problem details: every error Kairos answers over HTTP has this shape
 * (`Content-Type: application/problem+json`).
 */
export interface FieldProblem {
  /** Dotted path of the failing field in the request, e.g. `schedule.expression` or `items[3].name`. */
  field: string;
  reason: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** A stable machine-readable code, e.g. `validation_failed`, `task_not_found`, `revision_mismatch`. */
  code: string;
  /** For validation problems: every failing field, and the first one as `field` for convenience. */
  field?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

const PROBLEM_BASE = 'https://kairos.dev/problems/';

/** An error that knows its problem+json answer. Throw it anywhere in the HTTP layer. */
export class ProblemException extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail?: string,
    readonly extensions: Record<string, unknown> = {},
    /** Extra response headers, e.g. ETag on a 412. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }

  toProblem(): ProblemDetails {
    return {
      type: PROBLEM_BASE + this.code.replace(/_/g, '-'),
      title: this.title,
      status: this.status,
      detail: this.message,
      code: this.code,
      ...this.extensions,
    };
  }
}

/** HTTP status of each domain error: the one place where the domain meets HTTP. */
const DOMAIN_STATUS: Record<TaskErrorCode, number> = {
  task_not_found: 404,
  invalid_definition: 400,
  invalid_backfill: 400,
  task_already_exists: 409,
  task_deleted: 409,
  invalid_transition: 409,
  occurrence_not_due: 409,
  execution_not_running: 409,
  execution_not_overdue: 409,
  concurrency_slot_required: 409,
  revision_mismatch: 412,
  concurrent_modification: 409,
};

/** A domain refusal as problem+json: its code, its status, the field it names, the revision to reload. */
export function problemOfDomainError(error: TaskDomainError): ProblemException {
  const extensions = error.field
    ? { field: error.field, errors: [{ field: error.field, reason: error.message }] }
    : {};
  if (error instanceof RevisionMismatchError) {
    const { currentRevision } = error;
    return new ProblemException(
      412,
      error.code,
      'The task has changed',
      error.message,
      { currentRevision },
      {
        ETag: `"${currentRevision}"`,
      },
    );
  }
  const words = error.code.replace(/_/g, ' ');
  const title = words.charAt(0).toUpperCase() + words.slice(1);
  return new ProblemException(DOMAIN_STATUS[error.code], error.code, title, error.message, extensions);
}

export function validationProblem(errors: FieldProblem[]): ProblemException {
  const detail = errors.map((error) => `${error.field}: ${error.reason}`).join('; ');
  return new ProblemException(400, 'validation_failed', 'The request is invalid', detail, {
    field: errors[0]?.field,
    errors,
  });
}

const CALENDAR_STATUS: Record<CalendarErrorCode, number> = {
  calendar_not_found: 404,
  calendar_deleted: 409,
  calendar_already_exists: 409,
  invalid_calendar: 400,
  revision_mismatch: 412,
  calendar_in_use: 409,
  concurrent_modification: 409,
};

/** A calendar refusal as problem+json, worded as a task's is (412 carries the revision to reload). */
export function problemOfCalendarError(error: CalendarDomainError): ProblemException {
  const extensions: Record<string, unknown> = error.field
    ? { field: error.field, errors: [{ field: error.field, reason: error.message }] }
    : {};
  const headers: Record<string, string> = {};
  if (error.currentRevision !== undefined) {
    extensions.currentRevision = error.currentRevision;
    headers.ETag = `"${error.currentRevision}"`;
  }
  const title =
    error.code === 'revision_mismatch'
      ? 'The calendar has changed'
      : error.code.charAt(0).toUpperCase() + error.code.slice(1).replace(/_/g, ' ');
  return new ProblemException(
    CALENDAR_STATUS[error.code],
    error.code,
    title,
    error.message,
    extensions,
    headers,
  );
}
