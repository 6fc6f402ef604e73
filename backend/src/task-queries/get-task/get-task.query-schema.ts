import { Type } from '@sinclair/typebox';
import { asOfQueryFields } from '../../tasks/task-history/task-as-of.query-schema';
import { readModelQueryFields } from '../read-your-writes';

/** GET /api/tasks/{id}: now (after minPosition), or as it was (asOf). */
export const GetTaskQueryParams = Type.Object(
  { ...readModelQueryFields, ...asOfQueryFields },
  { additionalProperties: false },
);
