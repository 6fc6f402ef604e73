import { Logger } from '@nestjs/common';
import type { TaskDefinition } from '../../tasks/domain/task';
import type { TaskExecutionStarted } from '../../tasks/domain/task.events';
import { executions } from '../../metrics/metrics';
import type { TaskEvent } from '../../tasks/domain/task.events';
import type { Foreground } from '../../runtime/foreground';
import type { TaskCommandBatcher } from '../firing/task-command-batcher';
import type { TaskSnapshot } from '../firing/task-snapshots';
import type { ActionResult, ActionRunner } from './action-runner';

export type StartedExecution = TaskExecutionStarted['data'] & {
  taskId: string;
  definition: TaskDefinition;
  /** The task's state right after the start was appended: the outcome is decided on it. */
  snapshot: TaskSnapshot;
};

/**
 * Runs started executions, at most `concurrency` actions at once per worker, and records each outcome
 * as a command (TaskExecuted, plus a retry TaskScheduled when the policy says so).
 *
 * A slot is held from the hand-over to the action runner (up to the lead of a start decided ahead) until
 * the action ends, not while its outcome commits. Outcomes are background work:
 * they gather for a few milliseconds, longer while the foreground is busy (a burst being delivered), and
 * then go to the command batcher together, which appends them in few commits. So a burst's deliveries never
 * queue behind its own records. Outcomes not yet recorded are still tracked, for the drain.
 */
/** Outcomes finished within this window are recorded together. */
const OUTCOME_WINDOW_MS = 20;
/**
 * The longest an outcome waits for a busy foreground. A burst of 10,000 calls takes about a second on
 * two cores; its outcomes' appends and their PostgreSQL work, held until its last calls are out, let
 * them go out sooner (W1 at arrival 969-988 -> 659-695 ms with 1 s instead of 250 ms). A task about to
 * fire again has its outcome recorded first (recordNow), so no held outcome delays a next occurrence.
 */
const MAX_OUTCOME_DELAY_MS = 1000;

export class Executor {
  private readonly logger = new Logger('executor');
  private running = 0;
  private readonly waiting: StartedExecution[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** Outcomes held while the foreground is busy, by task: resolving one lets it be recorded. */
  private held = new Map<string, (() => void)[]>();
  private holdTimer: NodeJS.Timeout | undefined;
  private heldSince = 0;
  private draining = false;

  constructor(
    private readonly actions: ActionRunner,
    private readonly commands: TaskCommandBatcher,
    private readonly concurrency: number,
    /** Told about occurrences the outcome scheduled (retries), so the timer can hold them. */
    private readonly onScheduled: (taskId: string, events: TaskEvent[], snapshot: TaskSnapshot) => void,
    private readonly foreground?: Foreground,
    /** Gives back the concurrency slot of a limited task's execution once its outcome is recorded. */
    private readonly releaseSlot?: (execution: StartedExecution) => void,
  ) {
    foreground?.add(() => this.waiting.length + this.running);
  }

  /**
   * Queues the execution for a slot. A start decided ahead (ADR 022) goes to the action runner at once,
   * holding its slot until its start instant: the runner keeps the instant, so a busy moment of
   * this thread (a projector batch, a collection) does not make the call late.
   */
  start(execution: StartedExecution): void {
    this.waiting.push(execution);
    this.pump();
  }

  /** Resolves when every started execution has finished and its outcome is recorded. */
  async drain(): Promise<void> {
    this.draining = true;
    this.release();
    while (this.waiting.length > 0 || this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const execution = this.waiting.shift() as StartedExecution;
      this.running++;
      this.track(
        this.act(execution).then(async (result) => {
          this.running--;
          this.pump();
          await this.recordable(execution.taskId);
          return this.record(execution, result);
        }),
      );
    }
  }

  /**
   * Resolves when this outcome may be recorded: outcomes gather for OUTCOME_WINDOW_MS (one commit for
   * all of them rather than one each: at 500 executions a second that is 25 commits, not 500), and
   * longer while the foreground is busy, up to MAX_OUTCOME_DELAY_MS, unless the task fires again first.
   */
  private recordable(taskId: string): Promise<void> {
    if (this.draining) return Promise.resolve();
    if (this.held.size === 0) {
      this.heldSince = Date.now();
      this.holdTimer = setTimeout(this.tick, OUTCOME_WINDOW_MS);
    }
    return new Promise((resolve) => {
      const task = this.held.get(taskId);
      if (task) task.push(resolve);
      else this.held.set(taskId, [resolve]);
    });
  }

  /**
   * The task is about to fire again: its finished run's outcome goes now, so that the command batcher
   * records it before the firing. Held back, it would make the firing see a run still going at its due
   * instant, an overlap that never was (with 1,000 every-second crons, hundreds of skipped occurrences).
   */
  recordNow(taskId: string): void {
    const task = this.held.get(taskId);
    if (!task) return;
    this.held.delete(taskId);
    for (const resolve of task) resolve();
    if (this.held.size === 0) clearTimeout(this.holdTimer);
  }

  private readonly tick = (): void => {
    if (this.foreground?.busy() && Date.now() - this.heldSince < MAX_OUTCOME_DELAY_MS)
      this.holdTimer = setTimeout(this.tick, OUTCOME_WINDOW_MS);
    else this.release();
  };

  private release(): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const held = this.held;
    this.held = new Map();
    for (const task of held.values()) for (const resolve of task) resolve();
  }

  private track(work: Promise<void>): void {
    const done = work.finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }

  private async act(execution: StartedExecution): Promise<ActionResult & { finishedAt: string }> {
    const { taskId, occurrence, attempt, dueAt, startedAt, definition } = execution;
    let result: ActionResult;
    try {
      result = await this.actions.run(definition.action, {
        taskId,
        occurrence,
        attempt,
        dueAt,
        timeoutMs: definition.timeoutMs,
        startAt: Date.parse(startedAt),
        now: () => new Date(),
      });
    } catch (error) {
      result = { outcome: 'failed', error: (error as Error).message };
    }
    return { ...result, finishedAt: new Date().toISOString() };
  }

  private async record(
    execution: StartedExecution,
    result: ActionResult & { finishedAt: string },
  ): Promise<void> {
    const { taskId, occurrence, attempt, dueAt, plannedAt, startedAt } = execution;
    executions.inc({ outcome: result.outcome });
    this.logger.log({
      msg: 'execution finished',
      taskId,
      occurrence,
      attempt,
      outcome: result.outcome,
      dueAt,
      ...(plannedAt === undefined ? {} : { plannedAt }),
      lagMs: Date.parse(startedAt) - Date.parse(plannedAt ?? dueAt),
      durationMs: Date.parse(result.finishedAt) - Date.parse(startedAt),
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
            startedAt,
            finishedAt: result.finishedAt,
            output: result.output,
            error: result.error,
          },
        },
        { snapshot: execution.snapshot },
      );
      // Recorded, or refused as no longer running (closed as lost meanwhile): the slot is free either way.
      if (execution.definition.concurrency) this.releaseSlot?.(execution);
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
