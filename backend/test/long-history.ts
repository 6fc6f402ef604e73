import type { EventStore } from '../src/event-store/event-store';
import { bucketOf } from '../src/tasks/domain/bucket';
import type { TaskCommand } from '../src/tasks/domain/task.commands';
import { decide } from '../src/tasks/domain/task.decider';
import { type TaskEvent, taskStreamId } from '../src/tasks/domain/task.events';
import { evolve, initialTaskState, type TaskState } from '../src/tasks/domain/task.state';
import { toNewEvent } from '../src/tasks/decide-and-append';
import type { TestApp } from './test-app';

/**
 * Writes a task that has already lived long: registered `cycles` seconds ago as a one-second interval
 * task, then fired and recorded every second (3 events per cycle), each event decided by the real
 * decider on a clock that walks through the past, appended with the store's own expected revision in
 * chunks. Its last scheduled occurrence is due about now, so a running worker takes over from there.
 * Nothing else writes to the stream meanwhile (the expected revisions would refuse it).
 */
export async function writeLongHistory(
  store: EventStore,
  taskId: string,
  cycles: number,
  options: {
    chunk?: number;
    name?: string;
    /** Cycle at which a person renames the task (a change If-Match sees). */
    renameAt?: number;
    onProgress?: (events: number) => void;
  } = {},
): Promise<{ revision: number; position: number }> {
  const chunk = options.chunk ?? 3000;
  const start = Date.now() - (cycles + 2) * 1000;
  let state: TaskState = initialTaskState;
  let revision = -1;
  let position = 0;
  let pending: TaskEvent[] = [];
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const appended = await store.append(
      taskStreamId(taskId),
      pending.map(toNewEvent),
      revision < 0 ? 'no_stream' : revision,
    );
    revision = appended.nextRevision;
    position = appended.position;
    pending = [];
    options.onProgress?.(revision + 1);
  };
  const apply = (command: TaskCommand, now: number): void => {
    const events = decide(command, state, new Date(now));
    state = events.reduce(evolve, state);
    pending.push(...events);
  };

  apply(
    {
      type: 'RegisterTask',
      data: {
        taskId,
        bucket: bucketOf(taskId),
        definition: {
          name: options.name ?? 'long-lived',
          schedule: { kind: 'interval', everySeconds: 1, startAt: new Date(start).toISOString() },
          action: { kind: 'log', message: 'tick' },
          overlap: 'allow',
        },
      },
    },
    start,
  );
  for (let i = 0; i < cycles; i++) {
    if (state.status !== 'active') throw new Error(`the task is ${state.status}`);
    if (i === options.renameAt) {
      apply(
        { type: 'UpdateTask', data: { taskId, changes: { name: `renamed at ${i}` } } },
        Date.parse(state.scheduled[0].dueAt),
      );
    }
    const due = state.scheduled[0];
    const dueAt = Date.parse(due.dueAt);
    apply(
      { type: 'FireOccurrence', data: { taskId, occurrence: due.occurrence, attempt: 1, workerId: 'past' } },
      dueAt,
    );
    apply(
      {
        type: 'RecordExecutionOutcome',
        data: {
          taskId,
          occurrence: due.occurrence,
          attempt: 1,
          outcome: 'succeeded',
          startedAt: new Date(dueAt).toISOString(),
          finishedAt: new Date(dueAt + 5).toISOString(),
        },
      },
      dueAt + 5,
    );
    if (pending.length >= chunk) await flush();
  }
  await flush();
  return { revision, position };
}

/**
 * Three PATCHes of a task, each with an If-Match: from before the last change by a person (stale),
 * that change's revision (passes, and becomes the last change), and `current` (now stale). Answers
 * the statuses and the revision after them: a task decides If-Match the same whatever its history.
 */
export async function ifMatchEdits(
  api: TestApp,
  taskId: string,
  lastChange: number,
  current: number,
): Promise<{ statuses: number[]; revision: number }> {
  const statuses: number[] = [];
  let revision = current;
  for (const ifMatch of [lastChange - 1, lastChange, current]) {
    const response = await api.request('PATCH', `/api/tasks/${taskId}`, {
      headers: { 'if-match': `"${ifMatch}"` },
      body: { description: `seen ${ifMatch}` },
    });
    statuses.push(response.status);
    if (response.status === 200) revision = response.body.revision as number;
  }
  return { statuses, revision };
}
