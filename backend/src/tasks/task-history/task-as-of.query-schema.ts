import { type Static, Type } from '@sinclair/typebox';

/** GET /api/tasks/{id}?asOf=: the part of its query the log answers (spread into GET /api/tasks/{id}'s). */
export const asOfQueryFields = {
  asOf: Type.Optional(
    Type.String({
      maxLength: 64,
      description:
        'Time travel: the task as it was at this revision of its stream, or at this ISO 8601 instant ' +
        '(the last revision recorded at or before it), folded from the event log',
      examples: ['12', '2026-12-01T09:00:00Z'],
    }),
  ),
};

/** GET /api/tasks/{id}/diff: the two revisions to compare. */
export const TaskDiffQueryParams = Type.Object(
  {
    from: Type.Integer({ minimum: 0, description: 'the earlier revision' }),
    to: Type.Integer({ minimum: 0, description: 'the later revision' }),
  },
  { additionalProperties: false },
);
export type TaskDiffQueryParams = Static<typeof TaskDiffQueryParams>;
