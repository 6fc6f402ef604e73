import { Command } from '@nestjs/cqrs';
import type { CommandResult } from '../task-repository';

/** Pause a task: its occurrences stop until it is resumed. `ifMatch`: the revision the client saw, if it sent one. */
export class PauseTaskCommand extends Command<CommandResult> {
  constructor(
    readonly taskId: string,
    readonly ifMatch: number | undefined,
  ) {
    super();
  }
}
