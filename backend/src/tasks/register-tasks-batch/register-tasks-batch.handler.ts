import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { KairosConfig } from '../../config/config';
import { KAIROS_CONFIG } from '../../config/config.module';
import { bucketOf } from '../domain/bucket';
import { type CommandOutcome, TaskRepository } from '../task-repository';
import { RegisterTasksBatchCommand } from './register-tasks-batch.command';

/**
 * Decides every registration as new and appends them all together (one commit on PostgreSQL). An id
 * that already exists is refused by its expected revision alone, then decided again on what is there
 * (idempotent when the definition is the same, task_already_exists when not), like any conflict.
 */
@CommandHandler(RegisterTasksBatchCommand)
export class RegisterTasksBatchHandler implements ICommandHandler<RegisterTasksBatchCommand> {
  constructor(
    private readonly tasks: TaskRepository,
    @Inject(KAIROS_CONFIG) private readonly config: KairosConfig,
  ) {}

  execute({ items }: RegisterTasksBatchCommand): Promise<CommandOutcome[]> {
    return this.tasks.executeMany(
      items.map(({ taskId, definition }) => ({
        command: {
          type: 'RegisterTask',
          data: { taskId, definition, bucket: bucketOf(taskId, this.config.buckets) },
        },
        assumeNew: true,
      })),
    );
  }
}
