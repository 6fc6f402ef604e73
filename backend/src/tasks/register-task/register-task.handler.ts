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

  execute({ taskId, definition, freshId }: RegisterTaskCommand): Promise<CommandResult> {
    const bucket = bucketOf(taskId, this.config.buckets);
    const command = { type: 'RegisterTask', data: { taskId, definition, bucket } } as const;
    // A fresh id's stream is empty: no need to read it before deciding (one round trip less per POST).
    return this.tasks.execute(command, { assumeNew: freshId });
  }
}
