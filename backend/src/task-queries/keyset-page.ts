import type { Pool, QueryResultRow } from 'pg';
import { encodeCursor, invalidCursor, isBadCursorValue } from './keyset-cursor';
import { DEFAULT_PAGE_SIZE } from './page.query-schema';

/** A statement's positional parameters: `param(value)` adds a value and returns its placeholder ($n). */
export class SqlParams {
  readonly values: unknown[] = [];
  readonly param = (value: unknown): string => `$${this.values.push(value)}`;
}

export interface KeysetPage<Item> {
  items: Item[];
  nextCursor: string | null;
}

/**
 * Reads one page of a keyset list. `select` ends with its ORDER BY and starts after the cursor's row
 * already; this asks for one row past the page, which tells whether a next page exists without
 * counting, and makes the next cursor from the page's last row. With a cursor given, a value
 * PostgreSQL refuses can only have come from it (the DTO checked the rest): a 400, not a 500.
 */
export async function readKeysetPage<Row extends QueryResultRow, Item>(
  pool: Pool,
  page: { cursor?: string; limit?: number },
  select: { sql: string; params: SqlParams },
  rows: { toItem: (row: Row) => Item; cursorAfter: (last: Row) => unknown },
): Promise<KeysetPage<Item>> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  const sql = `${select.sql} LIMIT ${select.params.param(limit + 1)}`;
  let found: Row[];
  try {
    found = (await pool.query<Row>(sql, select.params.values)).rows;
  } catch (error) {
    if (page.cursor && isBadCursorValue(error)) throw invalidCursor();
    throw error;
  }
  const last = found.length > limit ? found[limit - 1] : undefined;
  return {
    items: found.slice(0, limit).map(rows.toItem),
    nextCursor: last ? encodeCursor(rows.cursorAfter(last)) : null,
  };
}
