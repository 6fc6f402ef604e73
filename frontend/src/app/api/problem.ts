import { HttpErrorResponse } from '@angular/common/http';

/** An API error as the GUI shows it: the server's problem+json, or what went wrong on the way. */
export interface Problem {
  status: number;
  code: string;
  detail: string;
  /** Failing fields by dotted path (`schedule.expression`), from `errors[]`. */
  fields: Record<string, string>;
}

interface ProblemBody {
  code?: unknown;
  detail?: unknown;
  title?: unknown;
  field?: unknown;
  errors?: unknown;
}

export function toProblem(error: unknown): Problem {
  if (!(error instanceof HttpErrorResponse)) {
    return { status: 0, code: 'client_error', detail: String(error), fields: {} };
  }
  if (error.status === 0) {
    return { status: 0, code: 'offline', detail: 'The server cannot be reached.', fields: {} };
  }
  const body = (typeof error.error === 'object' && error.error !== null ? error.error : {}) as ProblemBody;
  const fields: Record<string, string> = {};
  if (Array.isArray(body.errors)) {
    for (const entry of body.errors as { field?: unknown; reason?: unknown }[]) {
      if (typeof entry.field === 'string' && typeof entry.reason === 'string') {
        fields[entry.field] = fields[entry.field] ? `${fields[entry.field]}; ${entry.reason}` : entry.reason;
      }
    }
  }
  const detail =
    typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title : '';
  return {
    status: error.status,
    code: typeof body.code === 'string' ? body.code : `http_${error.status}`,
    detail: detail || `${error.status} ${error.statusText}`,
    fields,
  };
}
