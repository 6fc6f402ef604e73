import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException } from '../../api/problem';
import type { KairosConfig } from '../../config/config';
import { KAIROS_CONFIG } from '../../config/config.module';
import type { EventStore, StreamAppend } from '../../event-store/event-store';
import { InjectEventStore } from '../../event-store/event-store.module';
import { Clock } from '../clock';
import { bucketOf } from '../domain/bucket';
import type { RegisterTask } from '../domain/task.commands';
import { decide } from '../domain/task.decider';
import { TaskDomainError } from '../domain/task.errors';
import { taskStreamId } from '../domain/task.events';
import { initialTaskState } from '../domain/task.state';
import { TaskRepository, toNewEvent } from '../task-repository';
import { type BatchItemResult, RegisterTasksBatchCommand } from './register-tasks-batch.command';

/**
 * Decides every registration as new and appends them all in one appendMany (one commit on PostgreSQL).
 * An id that already exists is refused by its expected revision ('no_stream') alone; only those items
 * go through the ordinary one-by-one path, which answers idempotently or with 409.
 */
@CommandHandler(RegisterTasksBatchCommand)
export class RegisterTasksBatchHandler implements ICommandHandler<RegisterTasksBatchCommand> {
  constructor(
    @InjectEventStore() private readonly store: EventStore,
    private readonly tasks: TaskRepository,
    private readonly clock: Clock,
    @Inject(KAIROS_CONFIG) private readonly config: KairosConfig,
  ) {}

  async execute({ items }: RegisterTasksBatchCommand): Promise<BatchItemResult[]> {
    const now = this.clock.now();
    const results: BatchItemResult[] = new Array<BatchItemResult>(items.length);
    const commands: RegisterTask[] = new Array<RegisterTask>(items.length);
    const appends: StreamAppend[] = [];
    const appendedIndexes: number[] = [];
    const seen = new Set<string>();
    for (let index = 0; index < items.length; index++) {
      const { taskId: id, definition } = items[index];
      if (seen.has(id)) {
        results[index] = {
          status: 409,
          id,
          code: 'duplicate_id',
          detail: `id ${id} appears twice in this batch`,
        };
        continue;
      }
      seen.add(id);
      const command: RegisterTask = {
        type: 'RegisterTask',
        data: { taskId: id, definition, bucket: bucketOf(id, this.config.buckets) },
      };
      commands[index] = command;
      try {
        const events = decide(command, initialTaskState, now).map(toNewEvent);
        appends.push({ streamId: taskStreamId(id), events, expectedRevision: 'no_stream' });
        appendedIndexes.push(index);
      } catch (error) {
        results[index] = itemError(id, error);
      }
    }
    const appended = await this.store.appendMany(appends);
    const existing: number[] = [];
    for (let i = 0; i < appended.length; i++) {
      const result = appended[i];
      const index = appendedIndexes[i];
      if (result.ok) {
        results[index] = {
          status: 201,
          id: items[index].taskId,
          revision: result.nextRevision,
          position: result.position,
        };
      } else existing.push(index);
    }
    for (const index of existing) {
      try {
        const result = await this.tasks.execute(commands[index]);
        results[index] = {
          status: result.events.length > 0 ? 201 : 200,
          id: result.id,
          revision: result.revision,
          position: result.position,
        };
      } catch (error) {
        results[index] = itemError(items[index].taskId, error);
      }
    }
    return results;
  }
}

function itemError(id: string, error: unknown): BatchItemResult {
  if (error instanceof TaskDomainError) {
    const status = error.code === 'invalid_definition' ? 400 : 409;
    return {
      status,
      id,
      code: error.code,
      detail: error.message,
      ...(error.field ? { field: error.field } : {}),
    };
  }
  if (error instanceof ProblemException && (error.status === 400 || error.status === 409)) {
    return { status: error.status, id, code: error.code, detail: error.message };
  }
  throw error;
}
