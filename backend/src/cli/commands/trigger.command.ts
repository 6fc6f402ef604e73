import type { CommandResponse } from '../api-types';
import { type Command, printJson, taskPath } from '../command';

export const triggerCommand: Command = {
  name: 'trigger',
  usage: 'trigger <id>',
  summary: 'run a task now, as an extra occurrence',
  positionals: { min: 1, max: 1, names: '<id>' },
  async run({ args, client, io, json }) {
    const result = await client.post<CommandResponse>(taskPath(args[0] ?? '', '/trigger'));
    if (json) return printJson(io, result);
    io.out(`triggered ${result.id} (revision ${result.revision})`);
  },
};
