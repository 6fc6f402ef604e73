import {
  type EventStore,
  type NewEvent,
  type StreamAppend,
  WrongExpectedRevisionError,
} from '../event-store/event-store';
import type { TaskCommand } from './domain/task.commands';
import { type DecideSettings, decide } from './domain/task.decider';
import { TaskDomainError } from './domain/task.errors';
import { TASK_EVENT_SCHEMA_VERSION, type TaskEvent, taskStreamId } from './domain/task.events';
import type { TaskState } from './domain/task.state';

/**
 * The one way a task command becomes events on record, for the API (TaskRepository) and the workers
 * (TaskCommandBatcher) alike: decide each command on its task's state, append every outcome in one
 * appendMany with the revision it was decided on. A command whose task changed meanwhile comes back as
 * a conflict; the caller reads the new tail and decides again (the decision is pure, so re-running it
 * is safe), at most MAX_DECISION_ATTEMPTS times in all.
 */
export const MAX_DECISION_ATTEMPTS = 10;

/** A command and the task it is decided on: state as of `revision` (-1: no stream yet). */
export interface Decision {
  command: TaskCommand;
  state: TaskState;
  revision: number;
}

/** The events of one decision, decided but not yet on record. */
export type Decided =
  | { kind: 'events'; events: TaskEvent[] }
  /** The command changes nothing (an idempotent repeat). */
  | { kind: 'unchanged' }
  | { kind: 'refused'; error: TaskDomainError }
  /** Not the domain's refusal: a bug or corrupt state; the command fails (and nothing is appended). */
  | { kind: 'failed'; error: unknown };

export type Appended =
  | { ok: true; nextRevision: number; position: number }
  /** The stream moved past the decision's revision: decide again on its new tail. */
  | { ok: false; conflict: Error };

/** Decides every command on its own state. Pure: no I/O; one command's failure is its own. */
export function decideEach(decisions: Decision[], now: Date, settings: DecideSettings): Decided[] {
  return decisions.map(({ command, state }) => {
    try {
      const events = decide(command, state, now, settings);
      return events.length === 0 ? { kind: 'unchanged' } : { kind: 'events', events };
    } catch (error) {
      return error instanceof TaskDomainError ? { kind: 'refused', error } : { kind: 'failed', error };
    }
  });
}

/**
 * Appends decided events in one appendMany (one transaction on PostgreSQL), each stream with the
 * revision its decision was made on; at most one decision per task. A store failure is thrown as is.
 * A `decisionId` tags the events, for a caller that retries a commit whose answer was lost.
 */
export async function appendDecided(
  store: EventStore,
  decided: { decision: Decision; events: TaskEvent[]; decisionId?: string }[],
): Promise<Appended[]> {
  const results = await store.appendMany(decided.map(toStreamAppend));
  return results.map((result) =>
    result.ok
      ? { ok: true, nextRevision: result.nextRevision, position: result.position }
      : { ok: false, conflict: result.error },
  );
}

/**
 * Appends one decision's events through `append`, which shares a commit with the appends of concurrent
 * callers (the store's group commit, ADR 002): an API request deciding one command alone. (appendMany is
 * one caller's own transaction; the workers' batcher is its own group commit.)
 */
export async function appendDecision(
  store: EventStore,
  decided: { decision: Decision; events: TaskEvent[] },
): Promise<Appended> {
  const { streamId, events, expectedRevision } = toStreamAppend(decided);
  try {
    const { nextRevision, position } = await store.append(streamId, events, expectedRevision);
    return { ok: true, nextRevision, position };
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) return { ok: false, conflict: error };
    throw error;
  }
}

function toStreamAppend({
  decision,
  events,
  decisionId,
}: {
  decision: Decision;
  events: TaskEvent[];
  decisionId?: string;
}): StreamAppend {
  return {
    streamId: taskStreamId(decision.command.data.taskId),
    events: decisionId === undefined ? events.map(toNewEvent) : toDecisionEvents(events, decisionId),
    expectedRevision: decision.revision < 0 ? 'no_stream' : decision.revision,
  };
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
