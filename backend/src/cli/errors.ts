/** Exit codes of `kairos`, and the errors that map to them. */
export const EXIT = { ok: 0, api: 1, usage: 2, unreachable: 3, notFound: 4 } as const;

/** A command line Kairos cannot understand: unknown command or flag, missing or bad argument. */
export class UsageError extends Error {}

/** The server could not be reached (refused, DNS, timeout). */
export class UnreachableError extends Error {}

export interface FieldProblem {
  field: string;
  reason: string;
}

/** The problem+json body Kairos answers on errors (backend/src/api/problem.ts). */
export interface Problem {
  status?: number;
  title?: string;
  detail?: string;
  code?: string;
  errors?: FieldProblem[];
}

/** The server answered with an error status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}
