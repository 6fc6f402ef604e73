import { Command } from '@nestjs/cqrs';
import type { TaskDefinitionInput } from '../domain/task';
import type { CommandOutcome } from '../task-repository';

export interface BatchItem {
  taskId: string;
  definition: TaskDefinitionInput;
}

/** Register many tasks in one call (ids unique): new ones are appended together in one transaction. */
export class RegisterTasksBatchCommand extends Command<CommandOutcome[]> {
  constructor(readonly items: BatchItem[]) {
    super();
  }
}
