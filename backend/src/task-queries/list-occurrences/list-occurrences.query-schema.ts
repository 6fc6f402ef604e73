import { Type } from '@sinclair/typebox';
import { Instant } from '../../tasks/http/task-definition.schema';
import { readModelQueryFields } from '../read-your-writes';

/** GET /api/tasks/{id}/occurrences: the window [from, to) of due instants to account for. */
export const ListOccurrencesQueryParams = Type.Object(
  {
    ...readModelQueryFields,
    from: Type.Optional(
      Instant({
        description: 'Start of the window (inclusive), an ISO 8601 instant; default: one hour before `to`',
      }),
    ),
    to: Type.Optional(
      Instant({
        description: 'End of the window (exclusive), an ISO 8601 instant; default: now',
        example: '2026-11-24T10:00:00Z',
      }),
    ),
  },
  { additionalProperties: false },
);
