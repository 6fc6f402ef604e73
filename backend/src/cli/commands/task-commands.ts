import type { CommandResponse } from '../api-types';
import type { KairosClient } from '../http-client';
import { type Command, printJson, taskPath } from '../command';

/** A command on one task by its id, answering the new revision: trigger, delete. */
function oneTaskCommand(
  name: string,
  summary: string,
  done: string,
  send: (client: KairosClient, id: string) => Promise<CommandResponse>,
): Command {
  return {
    name,
    usage: `${name} <id>`,
    summary,
    positionals: { min: 1, max: 1, names: '<id>' },
    async run({ args, client, io, json }) {
      const result = await send(client, args[0] ?? '');
      if (json) return printJson(io, result);
      io.out(`${done} ${result.id} (revision ${result.revision})`);
    },
  };
}

export const triggerCommand = oneTaskCommand(
  'trigger',
  'run a task now, as an extra occurrence',
  'triggered',
  (client, id) => client.post<CommandResponse>(taskPath(id, '/trigger')),
);

export const deleteCommand = oneTaskCommand(
  'delete',
  'delete a task: it never fires again (its history stays)',
  'deleted',
  (client, id) => client.delete<CommandResponse>(taskPath(id)),
);
