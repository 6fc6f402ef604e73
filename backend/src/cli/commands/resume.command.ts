import type { CommandResponse } from '../api-types';
import { type Command, printJson, taskPath } from '../command';

export const resumeCommand: Command = {
  name: 'resume',
  usage: 'resume <id>',
  summary: 'resume a paused task',
  positionals: { min: 1, max: 1, names: '<id>' },
  async run({ args, client, io, json }) {
    const result = await client.post<CommandResponse>(taskPath(args[0] ?? '', '/resume'));
    if (json) return printJson(io, result);
    io.out(`resumed ${result.id} (revision ${result.revision})`);
  },
};
