import { validationProblem } from '../../api/problem';

/** Reads an If-Match header carrying a task revision: `"7"`, `W/"7"` or `7`. Absent means unconditional. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(-?\d+)"?\s*$/.exec(header);
  if (!match) throw validationProblem([{ field: 'If-Match', reason: 'must be a revision number, e.g. "3"' }]);
  return Number(match[1]);
}
