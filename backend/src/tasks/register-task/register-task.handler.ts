import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { KAIROS_CONFIG } from '../../config/config.module';
import type { KairosConfig } from '../../config/config';
import { bucketOf } from '../domain/bucket';
import { type CommandResult, TaskRepository } from '../task-repository';
import { RegisterTaskCommand } from './register-task.command';

@CommandHandler(RegisterTaskCommand)
export class RegisterTaskHandler implements ICommandHandler<RegisterTaskCommand> {
  constructor(
    private readonly tasks: TaskRepository,
    @Inject(KAIROS_CONFIG) private readonly config: KairosConfig,
  ) {}

  execute({ taskId, definition }: RegisterTaskCommand): Promise<CommandResult> {
    const bucket = bucketOf(taskId, this.config.buckets);
    return this.tasks.execute({ type: 'RegisterTask', data: { taskId, definition, bucket } });
  }
}
