import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { KairosConfig } from '../config/config';
import { KAIROS_CONFIG } from '../config/config.module';
import { type EventStore, type NewEvent, WrongExpectedRevisionError } from '../event-store/event-store';
import { InjectEventStore } from '../event-store/event-store.module';
import { ProblemException } from '../api/problem';
import type { TaskCommand } from './domain/task.commands';
import { DEFAULT_DECIDE_SETTINGS, type DecideSettings, decide } from './domain/task.decider';
import { TASK_EVENT_SCHEMA_VERSION, type TaskEvent, taskStreamId } from './domain/task.events';
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

/**
 * How often a command re-reads and re-decides after a concurrent writer got in first. A task firing
 * every second gets two appends a second from its worker (a start, an outcome); each retry reads only
 * the stream's new tail, so it is quick to win that race.
 */
const MAX_DECISION_ATTEMPTS = 10;

/**
 * Loads a task (its snapshot, then the events after it: ADR 011), decides a command on it, and appends
 * the outcome with the revision it decided on. On a conflict it reads the new tail and decides again, a
 * bounded number of times: the decision is pure, so re-running it is safe.
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
   * task since (an update, pause, resume or delete after that revision), nothing is decided and the
   * answer is 412 with the current revision. The workers' own events (firings, outcomes, next
   * occurrences) do not count: a task that fires every second must stay editable.
   * `assumeNew`: the id was just generated (POST), so the command is decided on the empty state without
   * reading the stream first; should the stream exist after all, the append is refused and the command
   * decided again on what is there, like any conflict.
   */
  async execute(
    command: TaskCommand,
    options: { ifMatch?: number; assumeNew?: boolean } = {},
  ): Promise<CommandResult> {
    const taskId = command.data.taskId;
    let loaded = options.assumeNew ? NO_STREAM : await this.load(taskId);
    for (let attempt = 1; ; attempt++) {
      if (options.ifMatch !== undefined && loaded.state.status !== 'none') {
        // A snapshot that does not know the last change by a person: fold the stream once to know it.
        if (loaded.changedRevision === null) loaded = await this.catchUp(taskId, NO_STREAM);
        if (changedSince(loaded, options.ifMatch)) throw revisionMismatch(taskId, loaded.revision);
      }
      const { state, revision, position } = loaded;
      const events = decide(command, state, this.clock.now(), this.settings);
      if (events.length === 0) return { id: taskId, revision, position, events };
      try {
        const appended = await this.store.append(
          taskStreamId(taskId),
          events.map(toNewEvent),
          revision < 0 ? 'no_stream' : revision,
        );
        return { id: taskId, revision: appended.nextRevision, position: appended.position, events };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt >= MAX_DECISION_ATTEMPTS) {
          throw new ProblemException(
            409,
            'concurrent_modification',
            'Concurrent modification',
            `task ${taskId} kept changing while the command was decided; try again`,
          );
        }
        loaded = await this.catchUp(taskId, loaded);
      }
    }
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

/** Every task event's metadata: one shared, frozen object (a batch appends thousands of events). */
const TASK_EVENT_METADATA: Readonly<Record<string, unknown>> = Object.freeze({
  schemaVersion: TASK_EVENT_SCHEMA_VERSION,
});

export function toNewEvent(event: TaskEvent): NewEvent {
  return { type: event.type, data: event.data, metadata: TASK_EVENT_METADATA };
}

/**
 * The events of one decision, tagged with its id: after a failure that leaves unknown whether their
 * append committed (a connection lost on commit), the stream's tail tells whether it did.
 */
export function toDecisionEvents(events: TaskEvent[], decisionId: string): NewEvent[] {
  const metadata = { schemaVersion: TASK_EVENT_SCHEMA_VERSION, decisionId };
  return events.map((event) => ({ type: event.type, data: event.data, metadata }));
}

export function revisionMismatch(taskId: string, currentRevision: number): ProblemException {
  return new ProblemException(
    412,
    'revision_mismatch',
    'The task has changed',
    `task ${taskId} is at revision ${currentRevision}, not the one in If-Match; reload it and retry`,
    { currentRevision },
    { ETag: `"${currentRevision}"` },
  );
}
