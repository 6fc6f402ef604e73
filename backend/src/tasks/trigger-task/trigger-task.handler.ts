import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CommandResult, TaskRepository } from '../task-repository';
import { TriggerTaskCommand } from './trigger-task.command';

@CommandHandler(TriggerTaskCommand)
export class TriggerTaskHandler implements ICommandHandler<TriggerTaskCommand> {
  constructor(private readonly tasks: TaskRepository) {}

  execute({ taskId, ifMatch }: TriggerTaskCommand): Promise<CommandResult> {
    return this.tasks.execute({ type: 'TriggerTask', data: { taskId } }, { ifMatch });
  }
}
