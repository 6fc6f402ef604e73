import { validationProblem } from '../../api/problem';
import { parseInstant } from '../domain/instant';

/** A point in a task's history: a revision of its stream, or an instant. `field` names it in errors. */
export type AsOf = { field: string } & ({ revision: number } | { instant: Date });

const REVISION = /^\d{1,15}$/;

/** Reads `?asOf=`: a revision (0, 1, …) or an ISO 8601 instant with an offset; else a 400 naming `field`. */
export function parseAsOf(text: string, field = 'asOf'): AsOf {
  if (REVISION.test(text)) return { field, revision: Number(text) };
  const instant = parseInstant(text);
  if (instant) return { field, instant };
  throw validationProblem([
    {
      field,
      reason: 'must be a revision (0, 1, …) or an ISO 8601 instant with an offset (2026-12-01T09:00:00Z)',
    },
  ]);
}
