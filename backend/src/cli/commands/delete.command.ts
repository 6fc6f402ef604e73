import type { CommandResponse } from '../api-types';
import { type Command, printJson, taskPath } from '../command';

export const deleteCommand: Command = {
  name: 'delete',
  usage: 'delete <id>',
  summary: 'delete a task: it never fires again (its history stays)',
  positionals: { min: 1, max: 1, names: '<id>' },
  async run({ args, client, io, json }) {
    const result = await client.delete<CommandResponse>(taskPath(args[0] ?? ''));
    if (json) return printJson(io, result);
    io.out(`deleted ${result.id} (revision ${result.revision})`);
  },
};
