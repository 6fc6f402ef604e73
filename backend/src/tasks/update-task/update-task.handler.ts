import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CommandResult, TaskRepository } from '../task-repository';
import { UpdateTaskCommand } from './update-task.command';

@CommandHandler(UpdateTaskCommand)
export class UpdateTaskHandler implements ICommandHandler<UpdateTaskCommand> {
  constructor(private readonly tasks: TaskRepository) {}

  execute({ taskId, changes, ifMatch }: UpdateTaskCommand): Promise<CommandResult> {
    return this.tasks.execute({ type: 'UpdateTask', data: { taskId, changes } }, { ifMatch });
  }
}
