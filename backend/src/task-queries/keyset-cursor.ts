import { validationProblem } from '../api/problem';

/**
 * Opaque keyset cursors: the sort key of the last row a page showed (base64url JSON). The next page
 * starts strictly after it, so pages never repeat or skip a row, however deep, and need no OFFSET.
 */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The cursor's content, or a 400 naming `cursor` when it is not one `accept` recognises. */
export function decodeCursor<T>(cursor: string, accept: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!accept(value)) throw invalidCursor();
  return value;
}

export function invalidCursor(): Error {
  return validationProblem([
    { field: 'cursor', reason: 'is not a cursor of this list (take nextCursor as is)' },
  ]);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** PostgreSQL refused a value taken from a cursor (e.g. an unreadable timestamp). */
export function isBadCursorValue(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22');
}
