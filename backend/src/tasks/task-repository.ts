import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { KairosConfig } from '../config/config';
import { KAIROS_CONFIG } from '../config/config.module';
import type { EventStore } from '../event-store/event-store';
import { InjectEventStore } from '../event-store/event-store.module';
import {
  appendDecided,
  appendDecision,
  type Decision,
  decideEach,
  MAX_DECISION_ATTEMPTS,
} from './decide-and-append';
import type { TaskCommand } from './domain/task.commands';
import { DEFAULT_DECIDE_SETTINGS, type DecideSettings } from './domain/task.decider';
import { RevisionMismatchError, TaskDomainError } from './domain/task.errors';
import type { TaskEvent } from './domain/task.events';
import { initialTaskState } from './domain/task.state';
import { Clock } from './clock';
import { TASK_SNAPSHOTS, type TaskSnapshot, type TaskSnapshotSource } from './task-snapshots';
import { foldTaskStream } from './task-stream-fold';

/**
 * A task's state as of its stream's last event: revision -1 and position 0 when never registered;
 * changedRevision is exact here (a fold that did not know it started from the stream's beginning).
 */
export type LoadedTask = TaskSnapshot;

/** A stream with no events yet: what a task is before it is registered. */
const NO_STREAM: LoadedTask = { state: initialTaskState, revision: -1, position: 0, changedRevision: -1 };

/** What every command answers: the task, its revision after the command, and the log position. */
export interface CommandResult {
  id: string;
  revision: number;
  position: number;
  /** The events the command appended; empty when it changed nothing (an idempotent repeat). */
  events: TaskEvent[];
}

/** One command of a batch: what `execute` takes, as a value. */
export interface CommandRequest {
  command: TaskCommand;
  /** The revision the client saw (If-Match); see `execute`. */
  ifMatch?: number;
  /** The id was just generated: decide on the empty state without reading the stream first. */
  assumeNew?: boolean;
}

/** What became of one command of a batch: its result, or the domain's refusal. */
export type CommandOutcome = { ok: true; result: CommandResult } | { ok: false; error: TaskDomainError };

/**
 * Runs task commands for the API: loads each task (its snapshot, then the events after it: ADR 011),
 * decides and appends through the one command path (decide-and-append.ts), and on a conflict reads the
 * new tail and decides again. Refusals are domain errors; the HTTP layer words them.
 */
@Injectable()
export class TaskRepository {
  private readonly settings: DecideSettings;
  private readonly logger = new Logger('tasks');

  constructor(
    @InjectEventStore() private readonly store: EventStore,
    private readonly clock: Clock,
    @Optional() @Inject(KAIROS_CONFIG) config?: KairosConfig,
    @Optional() @Inject(TASK_SNAPSHOTS) private readonly snapshots?: TaskSnapshotSource,
  ) {
    this.settings = config ? { misfireThresholdMs: config.misfireThresholdMs } : DEFAULT_DECIDE_SETTINGS;
  }

  /** The task now: from its snapshot when there is one (a cache: without it, the whole stream). */
  async load(taskId: string): Promise<LoadedTask> {
    const snapshot = await this.snapshots?.read(taskId).catch((error: unknown) => {
      this.logger.warn(`no snapshot of ${taskId}, folding its stream: ${(error as Error).message}`);
      return undefined;
    });
    return this.catchUp(taskId, snapshot ?? NO_STREAM);
  }

  /**
   * Runs a command. `ifMatch` is the revision the client saw (HTTP If-Match): when someone changed the
   * task since (an update, pause, resume or delete after that revision), nothing is decided and a
   * RevisionMismatchError names the current revision. The workers' own events (firings, outcomes, next
   * occurrences) do not count: a task that fires every second must stay editable.
   * `assumeNew`: the id was just generated (POST), so the command is decided on the empty state without
   * reading the stream first; should the stream exist after all, the append is refused and the command
   * decided again on what is there, like any conflict.
   */
  async execute(command: TaskCommand, options: Omit<CommandRequest, 'command'> = {}): Promise<CommandResult> {
    const [outcome] = await this.executeMany([{ command, ...options }]);
    if (!outcome.ok) throw outcome.error;
    return outcome.result;
  }

  /**
   * Runs many commands, at most one per task, deciding them together and appending in one transaction;
   * each is answered on its own, in order. Conflicts are decided again, the others are settled.
   */
  async executeMany(requests: CommandRequest[]): Promise<CommandOutcome[]> {
    const outcomes = new Array<CommandOutcome>(requests.length);
    // A batch of new ids reads nothing: no promise per command where there is nothing to wait for.
    const loaded: LoadedTask[] = requests.map(() => NO_STREAM);
    const reads = requests.flatMap((request, index) =>
      request.assumeNew
        ? []
        : [this.load(request.command.data.taskId).then((task) => void (loaded[index] = task))],
    );
    if (reads.length > 0) await Promise.all(reads);
    let pending = requests.map((_, index) => index);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const deciding: number[] = [];
      for (const index of pending) {
        const refusal =
          requests[index].ifMatch === undefined
            ? null
            : await this.checkIfMatch(requests[index], loaded, index);
        if (refusal) outcomes[index] = { ok: false, error: refusal };
        else deciding.push(index);
      }
      const decisions = deciding.map((index) => ({ command: requests[index].command, ...loaded[index] }));
      const decided = decideEach(decisions, this.clock.now(), this.settings);
      const appending: { index: number; decision: Decision; events: TaskEvent[] }[] = [];
      decided.forEach((outcome, i) => {
        const index = deciding[i];
        const { revision, position } = loaded[index];
        const id = requests[index].command.data.taskId;
        if (outcome.kind === 'events')
          appending.push({ index, decision: decisions[i], events: outcome.events });
        else if (outcome.kind === 'unchanged')
          outcomes[index] = { ok: true, result: { id, revision, position, events: [] } };
        else if (outcome.kind === 'refused') outcomes[index] = { ok: false, error: outcome.error };
        else throw outcome.error;
      });
      // One command alone shares a commit with concurrent requests (append); many are one transaction.
      const appended =
        appending.length === 1
          ? [await appendDecision(this.store, appending[0])]
          : appending.length > 0
            ? await appendDecided(this.store, appending)
            : [];
      pending = [];
      appended.forEach((result, i) => {
        const { index, events } = appending[i];
        const id = requests[index].command.data.taskId;
        if (result.ok) {
          outcomes[index] = {
            ok: true,
            result: { id, revision: result.nextRevision, position: result.position, events },
          };
        } else if (attempt >= MAX_DECISION_ATTEMPTS) {
          outcomes[index] = { ok: false, error: concurrentModification(id) };
        } else pending.push(index);
      });
      await Promise.all(
        pending.map(async (index) => {
          const id = requests[index].command.data.taskId;
          // Assumed new but there after all: its snapshot, not a fold of the whole stream.
          loaded[index] =
            loaded[index] === NO_STREAM ? await this.load(id) : await this.catchUp(id, loaded[index]);
        }),
      );
    }
    return outcomes;
  }

  /** The refusal of a command whose If-Match is stale, or null. */
  private async checkIfMatch(
    request: CommandRequest,
    loaded: LoadedTask[],
    index: number,
  ): Promise<RevisionMismatchError | null> {
    if (request.ifMatch === undefined || loaded[index].state.status === 'none') return null;
    const taskId = request.command.data.taskId;
    // A snapshot that does not know the last change by a person: fold the stream once to know it.
    if (loaded[index].changedRevision === null) loaded[index] = await this.catchUp(taskId, NO_STREAM);
    const task = loaded[index];
    return changedSince(task, request.ifMatch) ? new RevisionMismatchError(taskId, task.revision) : null;
  }

  /**
   * `loaded` brought up to date with the events appended to its stream since, read in pages (from the
   * stream's base when retention cut what comes after `loaded`, ADR 012).
   */
  private async catchUp(taskId: string, loaded: LoadedTask): Promise<LoadedTask> {
    let { state, revision, position, changedRevision } = loaded;
    for await (const step of foldTaskStream(this.store, taskId, loaded)) {
      ({ state, revision, position, changedRevision } = step);
    }
    return { state, revision, position, changedRevision };
  }
}

/** Whether a person changed the task after the revision a client saw (or that revision is not one). */
function changedSince(task: LoadedTask, seenRevision: number): boolean {
  if (seenRevision > task.revision || seenRevision < 0) return true;
  return task.changedRevision === null || task.changedRevision > seenRevision;
}

function concurrentModification(taskId: string): TaskDomainError {
  return new TaskDomainError(
    'concurrent_modification',
    `task ${taskId} kept changing while the command was decided; try again`,
  );
}
