import { Logger } from '@nestjs/common';
import type { TaskDefinition } from '../../tasks/domain/task';
import type { TaskExecutionStarted } from '../../tasks/domain/task.events';
import { executions } from '../../metrics/metrics';
import type { TaskEvent } from '../../tasks/domain/task.events';
import type { TaskCommandBatcher } from '../firing/task-command-batcher';
import type { TaskSnapshot } from '../firing/task-snapshots';
import type { ActionRunner } from './action-runner';

export type StartedExecution = TaskExecutionStarted['data'] & {
  taskId: string;
  definition: TaskDefinition;
  /** The task's state right after the start was appended: the outcome is decided on it. */
  snapshot: TaskSnapshot;
};

/**
 * Runs started executions, at most `concurrency` at once per worker, and records each outcome as a
 * command (TaskExecuted, plus a retry TaskScheduled when the policy says so).
 */
export class Executor {
  private readonly logger = new Logger('executor');
  private running = 0;
  private readonly waiting: StartedExecution[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly actions: ActionRunner,
    private readonly commands: TaskCommandBatcher,
    private readonly concurrency: number,
    /** Told about occurrences the outcome scheduled (retries), so the timer can hold them. */
    private readonly onScheduled: (taskId: string, events: TaskEvent[], snapshot: TaskSnapshot) => void,
  ) {}

  start(execution: StartedExecution): void {
    this.waiting.push(execution);
    this.pump();
  }

  /** Resolves when every started execution has finished and its outcome is recorded. */
  async drain(): Promise<void> {
    while (this.waiting.length > 0 || this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const execution = this.waiting.shift() as StartedExecution;
      this.running++;
      const done = this.execute(execution).finally(() => {
        this.running--;
        this.inFlight.delete(done);
        this.pump();
      });
      this.inFlight.add(done);
    }
  }

  private async execute(execution: StartedExecution): Promise<void> {
    const { taskId, occurrence, attempt, dueAt, definition } = execution;
    const result = await this.actions.run(definition.action, {
      taskId,
      occurrence,
      attempt,
      dueAt,
      timeoutMs: definition.timeoutMs,
      now: () => new Date(),
    });
    const finishedAt = new Date().toISOString();
    executions.inc({ outcome: result.outcome });
    this.logger.log({
      msg: 'execution finished',
      taskId,
      occurrence,
      attempt,
      outcome: result.outcome,
      dueAt,
      lagMs: Date.parse(execution.startedAt) - Date.parse(dueAt),
      durationMs: Date.parse(finishedAt) - Date.parse(execution.startedAt),
      ...(result.error ? { error: result.error } : {}),
    });
    try {
      const recorded = await this.commands.submit(
        {
          type: 'RecordExecutionOutcome',
          data: {
            taskId,
            occurrence,
            attempt,
            outcome: result.outcome,
            startedAt: execution.startedAt,
            finishedAt,
            output: result.output,
            error: result.error,
          },
        },
        { snapshot: execution.snapshot },
      );
      if (recorded.ok) this.onScheduled(taskId, recorded.events, recorded.snapshot);
      else
        this.logger.warn(
          `outcome of ${taskId}#${occurrence}.${attempt} not recorded: ${recorded.error.message}`,
        );
    } catch (error) {
      // Left open, the execution is closed as lost after its timeout and retried by policy.
      this.logger.error(
        `outcome of ${taskId}#${occurrence}.${attempt} not recorded: ${(error as Error).message}`,
      );
    }
  }
}
