import { Command } from '@nestjs/cqrs';
import type { TaskDefinitionInput } from '../domain/task';
import type { CommandResult } from '../task-repository';

/** Register a task under an id (a new one for POST, the client's for PUT). Idempotent per id. */
export class RegisterTaskCommand extends Command<CommandResult> {
  constructor(
    readonly taskId: string,
    readonly definition: TaskDefinitionInput,
    /** The id was just generated (POST), so its stream almost surely does not exist yet. */
    readonly freshId = false,
  ) {
    super();
  }
}
