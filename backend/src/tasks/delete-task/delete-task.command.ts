import { Command } from '@nestjs/cqrs';
import type { CommandResult } from '../task-repository';

/** Delete a task: it never fires again; its history stays readable. `ifMatch`: the revision the client saw, if it sent one. */
export class DeleteTaskCommand extends Command<CommandResult> {
  constructor(
    readonly taskId: string,
    readonly ifMatch: number | undefined,
  ) {
    super();
  }
}
