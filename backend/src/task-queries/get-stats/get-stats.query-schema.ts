import { Type } from '@sinclair/typebox';
import { readModelQueryFields } from '../read-your-writes';

export const MAX_STATS_MINUTES = 1440;
export const DEFAULT_STATS_MINUTES = 60;

/** GET /api/stats: the minutes up to now to count. */
export const GetStatsQueryParams = Type.Object(
  {
    ...readModelQueryFields,
    minutes: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_STATS_MINUTES,
        default: DEFAULT_STATS_MINUTES,
        description: 'minutes up to now',
      }),
    ),
  },
  { additionalProperties: false },
);
