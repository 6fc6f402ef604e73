import { type Static, Type } from '@sinclair/typebox';
import { Instant, StringEnum } from '../../tasks/http/task-definition.schema';
import { pageQueryFields } from '../page.query-schema';
import { OUTCOME_FILTERS } from './list-executions.dto';

const outcome = Type.Optional(StringEnum(OUTCOME_FILTERS));
const since = Type.Optional(
  Instant({ description: 'only executions started at or after this instant (ISO 8601)' }),
);

/** GET /api/executions: executions across tasks, filtered by outcome, task, start time. */
export const ListExecutionsQueryParams = Type.Object(
  { ...pageQueryFields, outcome, taskId: Type.Optional(Type.String({ format: 'uuid' })), since },
  { additionalProperties: false },
);
export type ListExecutionsQueryParams = Static<typeof ListExecutionsQueryParams>;

/** GET /api/tasks/{id}/executions: the same filters but the task, which is in the path. */
export const TaskExecutionsQueryParams = Type.Object(
  { ...pageQueryFields, outcome, since },
  { additionalProperties: false },
);
