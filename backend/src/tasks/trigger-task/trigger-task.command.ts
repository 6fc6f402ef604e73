import { Command } from '@nestjs/cqrs';
import type { CommandResult } from '../task-repository';

/** Run a task now, as an extra occurrence; its schedule is unchanged. `ifMatch`: the revision the client saw, if it sent one. */
export class TriggerTaskCommand extends Command<CommandResult> {
  constructor(
    readonly taskId: string,
    readonly ifMatch: number | undefined,
  ) {
    super();
  }
}
