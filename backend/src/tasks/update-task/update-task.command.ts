import { Command } from '@nestjs/cqrs';
import type { TaskChangesInput } from '../domain/task';
import type { CommandResult } from '../task-repository';

/** Change some fields of a task; a changed schedule reschedules it. `ifMatch`: the revision the client saw. */
export class UpdateTaskCommand extends Command<CommandResult> {
  constructor(
    readonly taskId: string,
    readonly changes: TaskChangesInput,
    readonly ifMatch: number | undefined,
  ) {
    super();
  }
}
