import { Inject, Injectable, Optional } from '@nestjs/common';
import type { KairosConfig } from '../config/config';
import { KAIROS_CONFIG } from '../config/config.module';
import {
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '../event-store/event-store';
import { InjectEventStore } from '../event-store/event-store.module';
import { ProblemException } from '../api/problem';
import type { TaskCommand } from './domain/task.commands';
import { DEFAULT_DECIDE_SETTINGS, type DecideSettings, decide } from './domain/task.decider';
import {
  assertTaskEvent,
  TASK_EVENT_SCHEMA_VERSION,
  type TaskEvent,
  taskStreamId,
} from './domain/task.events';
import { evolve, initialTaskState, type TaskState } from './domain/task.state';
import { Clock } from './clock';

/** A task's state as of a revision of its stream. */
export interface LoadedTask {
  state: TaskState;
  /** The stream's revision: -1 when the task was never registered. */
  revision: number;
  /** Global position of the stream's last event (0 when none). */
  position: number;
}

type LoadedStream = LoadedTask & { events: RecordedEvent[] };

/** A stream with no events yet: what a task is before it is registered. */
const NO_STREAM: LoadedStream = { state: initialTaskState, revision: -1, position: 0, events: [] };

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
 * Loads a task by folding its stream, decides a command on it, and appends the outcome with the
 * revision it decided on. On a conflict it reloads and decides again, a bounded number of times:
 * the decision is pure, so re-running it is safe.
 */
@Injectable()
export class TaskRepository {
  private readonly settings: DecideSettings;

  constructor(
    @InjectEventStore() private readonly store: EventStore,
    private readonly clock: Clock,
    @Optional() @Inject(KAIROS_CONFIG) config?: KairosConfig,
  ) {
    this.settings = config ? { misfireThresholdMs: config.misfireThresholdMs } : DEFAULT_DECIDE_SETTINGS;
  }

  async load(taskId: string): Promise<LoadedStream> {
    return this.catchUp(taskId, NO_STREAM);
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
      const { state, revision, position, events: history } = loaded;
      if (
        options.ifMatch !== undefined &&
        state.status !== 'none' &&
        changedSince(history, options.ifMatch, revision)
      ) {
        throw revisionMismatch(taskId, revision);
      }
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

  /** `loaded` brought up to date with the events appended to its stream since (a retry reads only those). */
  private async catchUp(taskId: string, loaded: LoadedStream): Promise<LoadedStream> {
    const tail = await this.store.readStream(taskStreamId(taskId), { fromRevision: loaded.revision + 1 });
    if (tail.length === 0) return loaded;
    let state = loaded.state;
    for (const event of tail) state = evolve(state, assertTaskEvent(event.type, event.data));
    const last = tail[tail.length - 1];
    return { state, revision: last.revision, position: last.position, events: [...loaded.events, ...tail] };
  }
}

/** Events that change what a person edits: a client's If-Match is stale after any of these. */
const CHANGES_BY_PEOPLE = new Set([
  'TaskRegistered',
  'TaskUpdated',
  'TaskPaused',
  'TaskResumed',
  'TaskDeleted',
]);

function changedSince(history: RecordedEvent[], seenRevision: number, currentRevision: number): boolean {
  if (seenRevision > currentRevision || seenRevision < 0) return true;
  return history.some((event) => event.revision > seenRevision && CHANGES_BY_PEOPLE.has(event.type));
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
