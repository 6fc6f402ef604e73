import { Command } from '@nestjs/cqrs';
import type { CommandResult } from '../task-repository';

/** Resume a paused task; missed occurrences follow its misfire policy. `ifMatch`: the revision the client saw, if it sent one. */
export class ResumeTaskCommand extends Command<CommandResult> {
  constructor(
    readonly taskId: string,
    readonly ifMatch: number | undefined,
  ) {
    super();
  }
}
