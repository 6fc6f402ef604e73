import { type Static, Type } from '@sinclair/typebox';
import { LabelFilter } from '../../tasks/http/label-filter';
import { StringEnum } from '../../tasks/http/task-definition.schema';
import { pageQueryFields } from '../page.query-schema';
import { TASK_SORTS, TASK_STATUSES } from './list-tasks.dto';

/** GET /api/tasks: filter by status, search by name, sort, keyset pages. */
export const ListTasksQueryParams = Type.Object(
  {
    ...pageQueryFields,
    status: Type.Optional(
      StringEnum(TASK_STATUSES, { description: 'only this status; by default every task but deleted ones' }),
    ),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'tasks whose name contains this text (case-insensitive)',
      }),
    ),
    sort: Type.Optional(StringEnum(TASK_SORTS, { default: 'nextDue', description: '`-` sorts descending' })),
    label: Type.Optional(LabelFilter()),
  },
  { additionalProperties: false },
);
export type ListTasksQueryParams = Static<typeof ListTasksQueryParams>;
