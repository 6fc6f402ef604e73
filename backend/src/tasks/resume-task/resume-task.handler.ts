import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CommandResult, TaskRepository } from '../task-repository';
import { ResumeTaskCommand } from './resume-task.command';

@CommandHandler(ResumeTaskCommand)
export class ResumeTaskHandler implements ICommandHandler<ResumeTaskCommand> {
  constructor(private readonly tasks: TaskRepository) {}

  execute({ taskId, ifMatch }: ResumeTaskCommand): Promise<CommandResult> {
    return this.tasks.execute({ type: 'ResumeTask', data: { taskId } }, { ifMatch });
  }
}
