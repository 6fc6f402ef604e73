import { Type } from '@sinclair/typebox';
import { MAX_BATCH_ITEMS } from '../../../../contracts/limits';
import { BatchTask } from '../http/task-definition.schema';

/** Up to 1,000 tasks; an invalid item is refused on its own, in its result, and the others go on. */
export const RegisterTasksBatch = Type.Object(
  { items: Type.Array(BatchTask, { minItems: 1, maxItems: MAX_BATCH_ITEMS }) },
  { title: 'RegisterTasksBatch', additionalProperties: false },
);
