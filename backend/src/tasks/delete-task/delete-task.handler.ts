import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CommandResult, TaskRepository } from '../task-repository';
import { DeleteTaskCommand } from './delete-task.command';

@CommandHandler(DeleteTaskCommand)
export class DeleteTaskHandler implements ICommandHandler<DeleteTaskCommand> {
  constructor(private readonly tasks: TaskRepository) {}

  execute({ taskId, ifMatch }: DeleteTaskCommand): Promise<CommandResult> {
    return this.tasks.execute({ type: 'DeleteTask', data: { taskId } }, { ifMatch });
  }
}
