import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { READ_MODEL_POOL } from '../../projections';
import { labelContainments } from '../http/label-filter';
import { TaskRepository } from '../task-repository';
import { type BulkResult, PauseResumeByLabelCommand } from './pause-resume-by-label.command';

/** Commands decided and appended together (one transaction each), as the batch registration does. */
const CHUNK = 1000;

/**
 * Finds the tasks by their labels in the read model, then pauses or resumes each through the one
 * command path, each decided on its own stream: a task already paused (or active) is refused by the
 * decider and not counted as changed; one the read model has not seen yet is not found (clients pass
 * ?minPosition= on the list to read their writes; the bulk acts on what is known now).
 */
@CommandHandler(PauseResumeByLabelCommand)
export class PauseResumeByLabelHandler implements ICommandHandler<PauseResumeByLabelCommand> {
  constructor(
    private readonly tasks: TaskRepository,
    @Inject(READ_MODEL_POOL) private readonly readModel: Pool,
  ) {}

  async execute({ action, labels }: PauseResumeByLabelCommand): Promise<BulkResult> {
    const where = labelContainments(labels).map((_, i) => `definition->'labels' @> $${i + 1}::jsonb`);
    const { rows } = await this.readModel.query<{ task_id: string }>(
      `SELECT task_id FROM read_model.tasks WHERE status <> 'deleted' AND ${where.join(' AND ')}`,
      labelContainments(labels),
    );
    let changed = 0;
    for (let start = 0; start < rows.length; start += CHUNK) {
      const outcomes = await this.tasks.executeMany(
        rows.slice(start, start + CHUNK).map(({ task_id: taskId }) => ({
          command:
            action === 'pause'
              ? { type: 'PauseTask' as const, data: { taskId } }
              : { type: 'ResumeTask' as const, data: { taskId } },
        })),
      );
      changed += outcomes.filter((outcome) => outcome.ok && outcome.result.events.length > 0).length;
    }
    return { matched: rows.length, changed };
  }
}
