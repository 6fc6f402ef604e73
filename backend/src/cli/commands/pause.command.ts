import type { CommandResponse } from '../api-types';
import { type Command, printJson, taskPath } from '../command';

export const pauseCommand: Command = {
  name: 'pause',
  usage: 'pause <id>',
  summary: 'pause a task: no occurrences fire until it is resumed',
  positionals: { min: 1, max: 1, names: '<id>' },
  async run({ args, client, io, json }) {
    const result = await client.post<CommandResponse>(taskPath(args[0] ?? '', '/pause'));
    if (json) return printJson(io, result);
    io.out(`paused ${result.id} (revision ${result.revision})`);
  },
};
