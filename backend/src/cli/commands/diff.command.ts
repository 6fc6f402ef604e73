import type { TaskDiffView } from '../api-types';
import { type Command, type OptionValues, intOption, printJson, taskPath } from '../command';
import { UsageError } from '../errors';
import { table } from '../format';

export const diffCommand: Command = {
  name: 'diff',
  usage: 'diff <id> --from r1 --to r2',
  summary: "what changed in a task's definition between two revisions: each field, before and after",
  help: [
    '--from r1        the earlier revision (0 is the registration; `kairos events` lists them)',
    '--to r2          the later revision',
  ],
  options: { from: { type: 'string' }, to: { type: 'string' } },
  positionals: { min: 1, max: 1, names: '<id>' },
  async run({ args, values, client, io, json }) {
    const [from, to] = [revisionOption(values, 'from'), revisionOption(values, 'to')];
    if (from > to) throw new UsageError(`--from must not be after --to (${from} > ${to})`);
    const diff = await client.get<TaskDiffView>(taskPath(args[0] ?? '', '/diff'), { from, to });
    if (json) return printJson(io, diff);
    io.out(
      `revision ${diff.from.revision} (${diff.from.recordedAt}) to revision ${diff.to.revision} (${diff.to.recordedAt}):`,
    );
    if (diff.changes.length === 0) return io.out('no definition changes');
    io.out(
      table(
        ['field', 'before', 'after'],
        diff.changes.map((c) => [c.field, shown(c.before), shown(c.after)]),
      ),
    );
  },
};

function revisionOption(values: OptionValues, name: string): number {
  const revision = intOption(values, name);
  if (revision === undefined) throw new UsageError(`--${name} is required: kairos ${diffCommand.usage}`);
  return revision;
}

/** Values exactly as the API gives them (JSON: strings quoted), null as unset. */
function shown(value: unknown): string {
  return value === null || value === undefined ? '(unset)' : JSON.stringify(value);
}
