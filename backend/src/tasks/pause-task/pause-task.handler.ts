import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CommandResult, TaskRepository } from '../task-repository';
import { PauseTaskCommand } from './pause-task.command';

@CommandHandler(PauseTaskCommand)
export class PauseTaskHandler implements ICommandHandler<PauseTaskCommand> {
  constructor(private readonly tasks: TaskRepository) {}

  execute({ taskId, ifMatch }: PauseTaskCommand): Promise<CommandResult> {
    return this.tasks.execute({ type: 'PauseTask', data: { taskId } }, { ifMatch });
  }
}
