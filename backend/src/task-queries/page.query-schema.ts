import { Type } from '@sinclair/typebox';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../contracts/limits';
import { readModelQueryFields } from './read-your-writes';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };

/**
 * What every paged list's query takes: a keyset cursor and a page size, and minPosition (spread into
 * each list's query schema).
 */
export const pageQueryFields = {
  ...readModelQueryFields,
  cursor: Type.Optional(Type.String({ maxLength: 2000, description: 'nextCursor of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
};
