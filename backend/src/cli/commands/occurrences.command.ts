import { OCCURRENCE_STATUSES } from '../../../../contracts/enums';
import type { OccurrenceItem, OccurrenceLedger } from '../api-types';
import { type Command, oneOf, printJson, stringOption, taskPath } from '../command';
import { UsageError } from '../errors';
import { table } from '../format';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export const occurrencesCommand: Command = {
  name: 'occurrences',
  usage: 'occurrences <id> [--from t] [--to t] [--status s]',
  summary: "the ledger: what became of each due instant of a task's schedule (why did it not run?)",
  help: [
    '--from t         window start: an ISO instant, or a time ago like 30m, 2h, 1d (default: 1h before --to)',
    '--to t           window end, exclusive: the same forms (default: now)',
    `--status s       only instants with this status: ${OCCURRENCE_STATUSES.join(', ')}`,
  ],
  options: { from: { type: 'string' }, to: { type: 'string' }, status: { type: 'string' } },
  positionals: { min: 1, max: 1, names: '<id>' },
  async run({ args, values, client, io, json }) {
    const now = Date.now();
    const status = oneOf(values, 'status', OCCURRENCE_STATUSES);
    const ledger = await client.get<OccurrenceLedger>(taskPath(args[0] ?? '', '/occurrences'), {
      from: instantOption(stringOption(values, 'from'), 'from', now),
      to: instantOption(stringOption(values, 'to'), 'to', now),
    });
    const items = status ? ledger.items.filter((item) => item.status === status) : ledger.items;
    if (json) return printJson(io, status ? { ...ledger, items } : ledger);
    io.out(summary(ledger));
    if (items.length > 0) io.out(occurrenceTable(items));
  },
};

/** An ISO instant as given, or `<n><s|m|h|d>` read as that long before now. */
export function instantOption(value: string | undefined, name: string, now: number): string | undefined {
  if (value === undefined) return undefined;
  const ago = /^(\d+)([smhd])$/.exec(value);
  if (ago) return new Date(now - Number(ago[1]) * UNITS[ago[2]]).toISOString();
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw new UsageError(`--${name} must be an ISO instant or a time ago like 30m, got "${value}"`);
  }
  return value;
}

function summary(ledger: OccurrenceLedger): string {
  const counts = Object.entries(ledger.counts)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`);
  return `${ledger.from} to ${ledger.to}: ${counts.length > 0 ? counts.join(', ') : 'no due instants'}`;
}

export function occurrenceTable(items: OccurrenceItem[]): string {
  return table(
    ['due', 'status', 'why / outcome', 'occurrence', 'lag'],
    items.map((item) => [
      item.kind === 'schedule' ? item.dueAt : `${item.dueAt} (${item.kind.replace('_', '-')})`,
      item.status,
      why(item),
      item.occurrence === undefined ? '-' : `#${item.occurrence}`,
      item.lagMs === undefined ? '-' : `${item.lagMs} ms`,
    ]),
  );
}

function why(item: OccurrenceItem): string {
  if (item.status === 'misfired') return `misfire, covered by #${item.coveredBy ?? '?'}`;
  if (item.reason) return item.reason;
  if (item.outcome)
    return item.attempts && item.attempts > 1 ? `${item.outcome} (${item.attempts} attempts)` : item.outcome;
  return '';
}
