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

export function validationProblem(errors: FieldProblem[]): ProblemException {
  const detail = errors.map((error) => `${error.field}: ${error.reason}`).join('; ');
  return new ProblemException(400, 'validation_failed', 'The request is invalid', detail, {
    field: errors[0]?.field,
    errors,
  });
}
