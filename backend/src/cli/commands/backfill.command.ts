import { MAX_BACKFILL_OCCURRENCES } from '../../../../contracts/limits';
import type { BackfillResponse } from '../api-types';
import { type Command, printJson, stringOption, taskPath } from '../command';
import { UsageError } from '../errors';
import { instantOption } from './occurrences.command';

/** `backfill <id> --from t --to t`: the past instants of the window run once each, with their due times. */
export const backfillCommand: Command = {
  name: 'backfill',
  usage: 'backfill <id> --from t [--to t]',
  summary: "run the past occurrences of a window of a task's schedule, once each (even while paused)",
  help: [
    '--from t         window start: an ISO instant, or a time ago like 30m, 2h, 1d',
    '--to t           window end, exclusive: the same forms (default: now)',
    `At most ${MAX_BACKFILL_OCCURRENCES} occurrences per window; instants backfilled before are not run again.`,
  ],
  options: { from: { type: 'string' }, to: { type: 'string' } },
  positionals: { min: 1, max: 1, names: '<id>' },
  async run({ args, values, client, io, json }) {
    const now = Date.now();
    const from = instantOption(stringOption(values, 'from'), 'from', now);
    if (from === undefined) throw new UsageError('missing --from (an ISO instant or a time ago like 2h)');
    const to = instantOption(stringOption(values, 'to'), 'to', now) ?? new Date(now).toISOString();
    const result = await client.post<BackfillResponse>(taskPath(args[0] ?? '', '/backfill'), { from, to });
    if (json) return printJson(io, result);
    io.out(
      `backfilled ${result.id}: ${result.scheduled} scheduled, ${result.alreadyBackfilled} already backfilled ` +
        `(revision ${result.revision})`,
    );
  },
};
