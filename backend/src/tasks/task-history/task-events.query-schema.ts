import { type Static, Type } from '@sinclair/typebox';
import { pageQueryFields } from '../../task-queries/page.query-schema';
import { TASK_EVENT_TYPES } from '../domain/task.events';
import { StringEnum } from '../http/task-definition.schema';
import { EVENT_ORDERS } from './task-events.dto';

/** GET /api/tasks/{id}/events: a page of the task's stream, in either order, of some event types. */
export const TaskEventsQueryParams = Type.Object(
  {
    ...pageQueryFields,
    order: Type.Optional(StringEnum(EVENT_ORDERS, { default: 'desc', description: 'desc: newest first' })),
    type: Type.Optional(
      Type.Array(StringEnum(TASK_EVENT_TYPES, { description: 'event types' }), {
        maxItems: TASK_EVENT_TYPES.length,
        description: 'only these event types, comma-separated or repeated',
      }),
    ),
  },
  { additionalProperties: false },
);
export type TaskEventsQueryParams = Static<typeof TaskEventsQueryParams>;
